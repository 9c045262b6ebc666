// Every page: mark that scripts run, switch the theme in place, and keep the current
// address (which carries an edited graph) when switching the language.

const root = document.documentElement;
root.classList.replace("no-js", "js");

function effectiveTheme() {
  if (root.dataset.theme) return root.dataset.theme;
  return matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}

function labelThemeSwitch(link) {
  const next = effectiveTheme() === "dark" ? "light" : "dark";
  link.textContent = next === "dark" ? link.dataset.toDark : link.dataset.toLight;
  link.dataset.next = next;
}

const themeLink = document.getElementById("theme-switch");
if (themeLink) {
  labelThemeSwitch(themeLink);
  themeLink.addEventListener("click", (event) => {
    event.preventDefault();
    const next = themeLink.dataset.next;
    root.dataset.theme = next;
    document.cookie = `theme=${next}; path=/; max-age=31536000; samesite=lax`;
    labelThemeSwitch(themeLink);
  });
}

const langLink = document.getElementById("lang-switch");
if (langLink) {
  langLink.addEventListener("click", () => {
    const url = new URL(langLink.href);
    url.searchParams.set("next", location.pathname + location.search);
    langLink.href = url.toString();
  });
}
