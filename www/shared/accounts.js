// Accounts as authenticators keep them, as otpauth:// URIs: what kind of link a text is,
// an account's name, and its code generator. Every URI is read by twofa.
import { Hotp, Totp, parseUri } from "./twofa/twofa.js";

/** The largest HOTP counter: 2^64 − 1. */
export const MAX_COUNTER = 2n ** 64n - 1n;

/** An otpauth:// URI (or what claims to be one: twofa says what is wrong with it). */
export const isOtpauth = (text) => /^otpauth:/i.test(text);
/** A Google Authenticator export link, otpauth-migration://. */
export const isMigration = (text) => /^otpauth-migration:/i.test(text);

/** A name for lists and labels: "ACME Co: ada@example.com", or `fallback` for an account with neither. */
export function nameOf(parsed, fallback = "Unnamed account") {
  return [parsed.issuer, parsed.account].filter(Boolean).join(": ") || fallback;
}

/**
 * The account of an otpauth:// URI and its live generator (a Totp or an Hotp; free it when
 * done): `{ parsed, generator }`. Throws twofa's error for a URI it cannot use.
 */
export function generatorOf(uri) {
  const parsed = parseUri(uri);
  return { parsed, generator: parsed.type === "hotp" ? Hotp.fromUri(uri) : Totp.fromUri(uri) };
}
