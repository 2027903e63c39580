// The background (a service worker in Chrome, an event page in Firefox): it locks the
// vault when the auto-lock time has passed since the last activity. The browser may stop
// it sooner; the popup and the options page then check the same rule when they open, so
// an expired unlock is never used.
const SESSION = "unlocked";
let timer;

async function schedule() {
  clearTimeout(timer);
  const { [SESSION]: session } = await chrome.storage.session.get(SESSION);
  if (!session) return;
  const { settings } = await chrome.storage.local.get("settings");
  const minutes = settings?.autoLockMinutes ?? 15;
  if (minutes <= 0) return;
  const left = session.at + minutes * 60_000 - Date.now();
  timer = setTimeout(() => chrome.storage.session.remove(SESSION), Math.max(0, left));
}

chrome.storage.onChanged.addListener((changes, area) => {
  if ((area === "session" && SESSION in changes) || (area === "local" && "settings" in changes)) schedule();
});
chrome.runtime.onStartup.addListener(schedule);
schedule();
