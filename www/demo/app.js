// The demo's UI. Every code, secret and check comes from twofa; nothing here is crypto.
import init, { Secret, Totp } from "/pkg/twofa.js";

await init();

const $ = (id) => document.getElementById(id);
let totp;
let lastStep; // the replay guard's state: the last accepted step

function useSecret(secret) {
  totp?.free();
  totp = new Totp({ secret, issuer: "twofa demo", account: "visitor" });
  lastStep = undefined;
  const copy = totp.secret;
  $("secret").value = copy.toBase32();
  $("key").textContent = copy.toGrouped();
  $("secret-status").textContent = copy.isWeak ? "This secret is under 128 bits: it works, but a new one would be stronger." : "";
  delete $("secret-status").dataset.result;
  copy.free();
  tick();
}

function tick() {
  const now = Date.now();
  $("code").textContent = totp.generate(now);
  const remaining = totp.remaining(now);
  const period = totp.period * 1000;
  $("seconds").textContent = `${Math.ceil(remaining / 1000)}s`;
  $("ring").style.strokeDashoffset = String(100 - (remaining / period) * 100);
}

$("generate").addEventListener("click", () => useSecret(Secret.generate()));

$("secret").addEventListener("change", (event) => {
  try {
    useSecret(Secret.fromBase32(event.target.value));
  } catch (err) {
    $("secret-status").textContent = `${err.message} (${err.code})`;
    $("secret-status").dataset.result = "invalid";
  }
});
$("secret-form").addEventListener("submit", (event) => event.preventDefault());

$("verify-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const status = $("verify-status");
  try {
    const match = totp.verify($("token").value, { afterStep: lastStep });
    if (match) {
      lastStep = match.step;
      const when = match.delta === 0 ? "the current code" : `${Math.abs(match.delta)} step(s) ${match.delta < 0 ? "ago" : "ahead"}`;
      status.textContent = `Accepted: ${when}. The same code will not work again.`;
      status.dataset.result = "ok";
    } else {
      status.textContent = "Not accepted: wrong code, or one that was already used.";
      status.dataset.result = "fail";
    }
  } catch (err) {
    status.textContent = err.message;
    status.dataset.result = "invalid";
  }
});

useSecret(Secret.generate());
setInterval(tick, 250);
document.body.dataset.ready = "true";
