// The simulated mail and SMS carriers: what the site's server sends lands here, and the
// inbox panel and the demo phone's Messages read it. Each message keeps the address or
// number it went to, as a real inbox would show it.
import { clock, load, save } from "./ui.js";

const INBOX_KEY = "twofa-demo:inbox";
const SMS_KEY = "twofa-demo:sms";
const KEEP = 30;
const listeners = new Set();

export const onDelivery = (f) => listeners.add(f);
export const mails = () => load(INBOX_KEY, () => []);
export const texts = () => load(SMS_KEY, () => []);

function deliver(key, message) {
  save(key, [{ ...message, at: clock.now() }, ...load(key, () => [])].slice(0, KEEP));
  listeners.forEach((f) => f());
}

/** An e-mail to `to`, with an optional `link` ({ href, text }) the inbox shows as a link. */
export const sendMail = ({ to, subject, body, link }) => deliver(INBOX_KEY, { to, subject, body, link });
/** A text message to the phone number `to`. */
export const sendText = ({ to, body }) => deliver(SMS_KEY, { to, body });
