// The background (a service worker in Chrome, an event page in Firefox). The browser
// stops it when idle and wakes it for the events below, so it keeps no state of its own
// and every listener is added here, synchronously, at the top level:
// - the auto-lock, as an alarm (lib/autolock.js), re-armed whenever the session or the
//   settings change;
// - the lock when the screen locks (chrome.idle);
// - clearing a copied code from the clipboard 30 s later (lib/clipboard.js; the clearing
//   is lib/clear-clipboard.chrome.js or .firefox.js, by build).
// It loads no WebAssembly for these. The fill shortcut (lib/fill-command.js) adds its
// listener as it loads, and loads twofa's WebAssembly on its first use.
import "./lib/fill-command.js";
import { AUTO_LOCK_ALARM, armAutoLock, idleStateChanged, movesAutoLock } from "./lib/autolock.js";
import { clearCopied } from "./lib/clear-clipboard.js";
import { CLIPBOARD_ALARM } from "./lib/clipboard.js";

/** Runs a listener's work; a failure is logged (the tests fail on any console error), never lost. */
const run = (work) => work.catch((err) => console.error(`twofa background: ${err.message}`));

chrome.storage.onChanged.addListener((changes, area) => {
  if (movesAutoLock(changes, area)) run(armAutoLock());
});

chrome.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === AUTO_LOCK_ALARM) run(armAutoLock()); // locks if the time has really passed, else re-arms
  if (alarm.name === CLIPBOARD_ALARM) run(clearCopied());
});

// Firefox never reports "locked" (its idle API knows "idle" and "active" only), so its
// build asks for no idle permission and has no chrome.idle.
chrome.idle?.onStateChanged.addListener((state) => run(idleStateChanged(state)));
// For the tests: a headless browser cannot lock the screen, so they call the handler the
// listener calls.
globalThis.idleStateChanged = idleStateChanged;

chrome.runtime.onStartup.addListener(() => run(armAutoLock()));
run(armAutoLock());
