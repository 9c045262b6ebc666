// The API docs: Swagger UI (static/vendor/swagger-ui, loaded just before this file) on
// this server's OpenAPI schema. Started from a file, not an inline script, so the page
// keeps the site's Content-Security-Policy.

const root = document.getElementById("swagger-ui");
const SwaggerUIBundle = window.SwaggerUIBundle;

if (root && SwaggerUIBundle) {
  SwaggerUIBundle({
    url: root.dataset.openapi,
    domNode: root,
    layout: "BaseLayout",
    deepLinking: true,
    showExtensions: true,
    showCommonExtensions: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
    validatorUrl: null, // the default badge would call out to the internet
  });
}
document.documentElement.dataset.ready = "1";
