// The demo page: tabs, theme, the simulated clock, and the tick that keeps codes live.
// Every code, secret, hash and QR code comes from twofa (see server.js); nothing here is crypto.
import { $, applyTheme, confirmDialog } from "/shared/dom.js";
import { connect, openLinkFromHash, renderInbox, setUpFlows, updateLock } from "./flows.js";
import { clearPhone, tick as tickPhone } from "./phone.js";
import { clockWentBack, resetAll } from "./server.js";
import { setUpTools, stopCamera, tickGenerator } from "./tools.js";
import { clock, formatOffset, formatTime } from "./ui.js";

// --- Tabs (WAI-ARIA tabs: arrows, Home and End move between them) ----------------------

const tabs = [...document.querySelectorAll('[role="tab"]')];
const names = tabs.map((t) => t.id.replace("tab-", ""));

function select(name, { focus = false } = {}) {
  if (name !== "tools") stopCamera(); // the camera runs only while its tab is shown
  for (const tab of tabs) {
    const on = tab.id === `tab-${name}`;
    tab.setAttribute("aria-selected", String(on));
    tab.tabIndex = on ? 0 : -1;
    $(tab.getAttribute("aria-controls")).hidden = !on;
    if (on && focus) tab.focus();
  }
  if (location.hash !== `#${name}`) history.replaceState(null, "", `#${name}`);
}

for (const tab of tabs) {
  tab.addEventListener("click", () => select(tab.id.replace("tab-", "")));
  tab.addEventListener("keydown", (event) => {
    const i = tabs.indexOf(tab);
    const to = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[event.key];
    if (to === undefined) return;
    event.preventDefault();
    select(names[(to + tabs.length) % tabs.length], { focus: true });
  });
}
for (const link of document.querySelectorAll("a[data-tab]")) {
  link.addEventListener("click", (event) => {
    event.preventDefault();
    select(link.dataset.tab, { focus: true });
  });
}
// On a narrow screen the phone and the inbox sit below the flows: a bar keeps them one tap away.
for (const link of document.querySelectorAll("a[data-jump]")) {
  link.addEventListener("click", (event) => {
    event.preventDefault();
    const heading = $(link.dataset.jump);
    heading.scrollIntoView({ block: "start" });
    heading.focus({ preventScroll: true });
  });
}
window.addEventListener("hashchange", () => names.includes(location.hash.slice(1)) && select(location.hash.slice(1)));

// --- Theme ----------------------------------------------------------------------------

const THEME_KEY = "twofa-demo:theme";
const theme = $("theme");
theme.value = localStorage.getItem(THEME_KEY) ?? "system";
applyTheme(theme.value);
theme.addEventListener("change", () => {
  applyTheme(theme.value);
  localStorage.setItem(THEME_KEY, theme.value);
});

// --- The simulated clock and the tick --------------------------------------------------

$("clock-30s").addEventListener("click", () => clock.advance(30_000));
$("clock-1h").addEventListener("click", () => clock.advance(3_600_000));
$("clock-1d").addEventListener("click", () => clock.advance(86_400_000));
$("clock-reset").addEventListener("click", () => {
  clock.reset();
  clockWentBack();
});

function tick() {
  $("clock-now").textContent = formatTime(clock.now());
  $("clock-now").dateTime = new Date(clock.now()).toISOString();
  const offset = formatOffset(clock.offset);
  if ($("clock-offset").textContent !== offset) $("clock-offset").textContent = offset;
  tickPhone();
  tickGenerator();
  updateLock();
}
clock.onChange(tick);

// --- Reset ------------------------------------------------------------------------------

$("reset-demo").addEventListener("click", async () => {
  const ok = await confirmDialog({
    title: "Reset the demo?",
    text: "Every demo user, the demo phone's accounts, the inbox and the clock go back to the start.",
    ok: "Reset",
  });
  if (!ok) return;
  resetAll();
  clearPhone();
  for (const key of Object.keys(localStorage)) if (key.startsWith("twofa-demo:") && key !== THEME_KEY) localStorage.removeItem(key);
  clock.reset();
  location.reload();
});

connect({ select });
setUpFlows();
setUpTools();
renderInbox();
// A link from the demo inbox (#reset-qr=…) opens its page; otherwise the tab the hash names.
if (!openLinkFromHash()) select(names.includes(location.hash.slice(1)) ? location.hash.slice(1) : "setup");
tick();
setInterval(tick, 250);
document.body.dataset.ready = "true";
