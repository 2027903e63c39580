// Re-authentication, shared by the popup and the options page: what shows every secret
// (the plain list, the Google Authenticator QR codes, one account's QR code) and what
// replaces or removes the passphrase first asks for the passphrase again, when one is set.
// twofa's VaultKey checks it against the stored vault, under the store's limits (store.js
// keyFor): no passphrase is ever compared as text here. Without a passphrase there is
// nothing to ask, and the action runs at once.
import { $, clearErrors, el, fieldError, sentence } from "../shared/dom.js";
import { t } from "./i18n.js";
import * as store from "./store.js";

/** Why an unlock or a re-authentication failed, as a sentence for the passphrase field. */
export function passphraseError(err) {
  if (err.code === "WRONG_PASSPHRASE") return t("guardWrongPassphrase");
  if (err.code === "VAULT_REFUSED") return err.message; // lib/store.js says which: too dear, or damaged
  return sentence(err.message);
}

/** The page's one re-authentication dialog (#reauth), made on first use. */
function dialogElement() {
  let dialog = $("reauth");
  if (dialog) return dialog;
  dialog = el("dialog", { id: "reauth", "aria-labelledby": "reauth-title", "aria-describedby": "reauth-text" },
    el("form", { id: "reauth-form", novalidate: true },
      el("h2", { id: "reauth-title" }, t("guardReauthTitle")),
      el("p", { id: "reauth-text" }),
      el("label", { for: "reauth-passphrase" }, t("guardReauthLabel")),
      el("input", { id: "reauth-passphrase", type: "password", autocomplete: "current-password", "aria-describedby": "reauth-passphrase-error" }),
      el("p", { class: "error", id: "reauth-passphrase-error", hidden: true }),
      el("div", { class: "actions" },
        el("button", { type: "submit", id: "reauth-ok" }, t("guardReauthContinueButton")),
        el("button", { type: "button", class: "ghost", id: "reauth-cancel" }, t("guardCancelButton")))));
  document.body.append(dialog);
  return dialog;
}

/**
 * Asks for the passphrase, saying why (`text`), and runs `proceed(passphrase)` with it:
 * by default only the check, or the store's own change, which checks it under its lock.
 * A wrong passphrase keeps the dialog open with "Wrong passphrase. Try again." and nothing
 * done. Resolves `{ result }` (what `proceed` returned), or null when the user cancels;
 * another failure of `proceed` rejects. With no passphrase set, `proceed(undefined)` runs
 * without a dialog (store.js throws REAUTH if one is set by then, and the dialog opens).
 */
export async function reauthenticate(text, proceed = store.checkPassphrase) {
  if (!(await store.sealedVault())) {
    try {
      return { result: await proceed(undefined) };
    } catch (err) {
      // A passphrase set in another window meanwhile (the store checks under its lock): ask it.
      if (err.code !== "REAUTH") throw err;
    }
  }
  const dialog = dialogElement();
  const field = $("reauth-passphrase");
  const ok = $("reauth-ok");
  clearErrors(dialog);
  $("reauth-text").textContent = text;
  field.value = "";
  let busy = false;
  let outcome = null;
  let failure;
  dialog.oncancel = (event) => busy && event.preventDefault();
  $("reauth-cancel").onclick = () => busy || dialog.close();
  $("reauth-form").onsubmit = async (event) => {
    event.preventDefault();
    if (busy) return;
    clearErrors(dialog);
    const passphrase = field.value;
    if (!passphrase) return fieldError("reauth-passphrase", t("guardEnterPassphrase"));
    busy = true;
    ok.disabled = true;
    ok.textContent = t("guardCheckingLabel");
    try {
      // The key derivation holds the page for a moment: the button says so first.
      await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)));
      outcome = { result: await proceed(passphrase) };
    } catch (err) {
      if (err.code === "WRONG_PASSPHRASE" || err.code === "VAULT_REFUSED") {
        fieldError("reauth-passphrase", passphraseError(err));
        field.select();
        return;
      }
      failure = err;
    } finally {
      busy = false;
      ok.disabled = false;
      ok.textContent = t("guardReauthContinueButton");
    }
    dialog.close();
  };
  dialog.showModal();
  field.focus();
  return new Promise((resolve, reject) =>
    dialog.addEventListener("close", () => {
      field.value = "";
      if (failure) reject(failure);
      else resolve(outcome);
    }, { once: true }),
  );
}
