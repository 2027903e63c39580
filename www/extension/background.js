import "./lib/fill-command.js"; // the fill shortcut (lib/fill-command.js); its listener is added as this loads
// The background (a service worker in Chrome, an event page in Firefox): it locks the
// vault when the auto-lock time has passed since the last activity. The browser may stop
// it sooner; the popup and the options page then apply the same rule whenever they read
// the vault, so an expired unlock is never used.
const SESSION = "unlocked";
const ACTIVITY = "activity";
let timer;

async function schedule() {
  clearTimeout(timer);
  const { [SESSION]: session, [ACTIVITY]: at = 0 } = await chrome.storage.session.get([SESSION, ACTIVITY]);
  if (!session) return;
  const { settings } = await chrome.storage.local.get("settings");
  const minutes = settings?.autoLockMinutes ?? 15;
  if (minutes <= 0) return;
  const left = at + minutes * 60_000 - Date.now();
  if (left <= 0) await chrome.storage.session.remove([SESSION, ACTIVITY]);
  else timer = setTimeout(schedule, left + 50);
}

chrome.storage.onChanged.addListener((changes, area) => {
  if ((area === "session" && (SESSION in changes || ACTIVITY in changes)) || (area === "local" && "settings" in changes)) schedule();
});
chrome.runtime.onStartup.addListener(schedule);
schedule();
