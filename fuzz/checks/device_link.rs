//! Trusted-device tokens and action links (one signed envelope, `src/flows/mod.rs`):
//! text that was not issued never verifies, an issued token verifies as what it was
//! issued for and nothing else, and with any one byte changed it never verifies.

use super::common::{entropy, refused, Input};
use twofa::flows::device::{self, Check, DeviceOptions};
use twofa::flows::link::{self, LinkCheck, LinkOptions};
use twofa::Code;

const KEY: &[u8; 32] = b"fuzzing key, 32 bytes, not 31 ok";
const OLD_KEY: &[u8; 16] = b"an older key 16b";

pub fn check(data: &[u8]) {
    let mut input = Input::new(data);
    let kind = input.byte();
    if kind.is_multiple_of(4) {
        forged(&String::from_utf8_lossy(input.rest()));
    } else if kind % 2 == 1 {
        device_token(&mut input);
    } else {
        action_link(&mut input);
    }
}

/// Text that was never issued: never a device, never a link.
fn forged(token: &str) {
    let keys: [&[u8]; 2] = [KEY, OLD_KEY];
    let check = Check {
        now: 0,
        user: None,
        revoked: &[],
    };
    let rejection = device::verify(&keys, token, &check).expect_err("a forged device token");
    assert!(matches!(
        rejection,
        device::Rejection::Malformed | device::Rejection::BadSignature
    ));
    let check = LinkCheck {
        now: 0,
        purpose: "p",
        user: "u",
        state: "",
        revoked: &[],
    };
    let rejection = link::verify(&keys, token, &check).expect_err("a forged link");
    assert!(matches!(
        rejection,
        link::Rejection::Malformed | link::Rejection::BadSignature
    ));
}

/// The key to sign with: the fuzz key, or one the input gives (refused when too short).
fn signing_key(input: &mut Input<'_>) -> Vec<u8> {
    let given = input.bytes(64);
    if given.len() >= 16 {
        given.to_vec()
    } else {
        KEY.to_vec()
    }
}

/// Every one-byte change of `token` at `at` to `with`, when it is text and a change.
fn changed(token: &str, at: u16, with: u8) -> Option<String> {
    let mut bytes = token.as_bytes().to_vec();
    let at = usize::from(at) % bytes.len();
    if bytes[at] == with {
        return None;
    }
    bytes[at] = with;
    String::from_utf8(bytes).ok()
}

fn device_token(input: &mut Input<'_>) {
    let key = signing_key(input);
    let user = input.text(300);
    let device_id = input.text(200);
    let label = input.text(300);
    let ttl_ms = input.i64() % (500 * 86_400_000);
    let now = input.i64() >> input.byte().min(63);
    let (at, with) = (input.u16(), input.byte());
    let options = DeviceOptions {
        user: (!user.is_empty()).then_some(user.as_str()),
        device_id: &device_id,
        label: &label,
        ttl_ms,
    };
    let token = match device::issue(&key, &options, now) {
        Ok(token) => token,
        Err(err) => {
            refused(&err, &[Code::InvalidOptions, Code::InvalidKey], &[]);
            return;
        }
    };
    assert!(token.len() <= 1024, "an issued token too long to verify");
    let keys: [&[u8]; 2] = [OLD_KEY, &key];
    let check = Check {
        now,
        user: options.user,
        revoked: &[],
    };
    match device::verify(&keys, &token, &check) {
        Ok(device) => {
            assert_eq!(device.device_id, device_id);
            assert_eq!(device.label, label);
            assert_eq!(device.user.as_deref(), options.user);
            assert_eq!(device.issued_at, now);
            assert!(device.expires_at > now);
            assert_eq!(device.key_index, if key == OLD_KEY { 0 } else { 1 });
            // Revoked, another user, later than its expiry: refused as such.
            let revoked = [device_id.as_str()];
            let check = Check {
                now,
                user: options.user,
                revoked: &revoked,
            };
            assert_eq!(
                device::verify(&keys, &token, &check),
                Err(device::Rejection::Revoked)
            );
            let check = Check {
                now,
                user: Some("someone else entirely"),
                revoked: &[],
            };
            if options.user != check.user {
                assert_eq!(
                    device::verify(&keys, &token, &check),
                    Err(device::Rejection::WrongUser)
                );
            }
            let check = Check {
                now: device.expires_at,
                user: options.user,
                revoked: &[],
            };
            assert_eq!(
                device::verify(&keys, &token, &check),
                Err(device::Rejection::Expired)
            );
        }
        Err(rejection) => {
            // Only a token that was dead when issued (its expiry clamped to the end of time).
            assert_eq!(rejection, device::Rejection::Expired);
        }
    }
    let check = Check {
        now: i64::MIN,
        user: options.user,
        revoked: &[],
    };
    // Under the fuzz key alone: only what it signed.
    let only: [&[u8]; 1] = [KEY];
    assert_eq!(device::verify(&only, &token, &check).is_ok(), key == KEY);
    if let Some(changed) = changed(&token, at, with) {
        assert!(
            device::verify(&keys, &changed, &check).is_err(),
            "a changed token verifies"
        );
    }
}

fn action_link(input: &mut Input<'_>) {
    let key = signing_key(input);
    let purpose = input.text(80);
    let user = input.text(300);
    let state = input.text(255);
    let ttl_ms = input.i64() % (8 * 86_400_000);
    let now = input.i64() >> input.byte().min(63);
    let (at, with) = (input.u16(), input.byte());
    let seed = input.i64() as u64;
    let options = LinkOptions {
        purpose: &purpose,
        user: &user,
        state: &state,
        ttl_ms,
    };
    let issued = match link::issue(&key, &options, now, entropy(seed)) {
        Ok(issued) => issued,
        Err(err) => {
            refused(&err, &[Code::InvalidOptions, Code::InvalidKey], &[]);
            return;
        }
    };
    assert!(
        issued.token.len() <= link::MAX_TOKEN_LEN,
        "an issued link too long to verify"
    );
    assert!(
        !format!("{issued:?}").contains(&issued.token),
        "Debug shows the token"
    );
    let keys: [&[u8]; 2] = [OLD_KEY, &key];
    let check = LinkCheck {
        now,
        purpose: &purpose,
        user: &user,
        state: &state,
        revoked: &[],
    };
    match link::verify(&keys, &issued.token, &check) {
        Ok(found) => {
            assert_eq!(found.link_id, issued.link_id);
            assert_eq!(found.purpose, purpose);
            assert_eq!(found.user, user);
            assert_eq!(
                (found.issued_at, found.expires_at),
                (issued.issued_at, issued.expires_at)
            );
            assert_eq!(found.key_index, if key == OLD_KEY { 0 } else { 1 });
            let other = LinkCheck {
                state: "another state",
                ..check
            };
            if state != other.state {
                assert_eq!(
                    link::verify(&keys, &issued.token, &other),
                    Err(link::Rejection::StateChanged)
                );
            }
            let other = LinkCheck {
                purpose: "another purpose",
                ..check
            };
            if purpose != other.purpose {
                assert_eq!(
                    link::verify(&keys, &issued.token, &other),
                    Err(link::Rejection::WrongPurpose)
                );
            }
            let other = LinkCheck {
                user: "another user",
                ..check
            };
            if user != other.user {
                assert_eq!(
                    link::verify(&keys, &issued.token, &other),
                    Err(link::Rejection::WrongUser)
                );
            }
            let revoked = [issued.link_id.as_str()];
            let other = LinkCheck {
                revoked: &revoked,
                ..check
            };
            assert_eq!(
                link::verify(&keys, &issued.token, &other),
                Err(link::Rejection::Revoked)
            );
            let other = LinkCheck {
                now: found.expires_at,
                ..check
            };
            assert_eq!(
                link::verify(&keys, &issued.token, &other),
                Err(link::Rejection::Expired)
            );
        }
        Err(rejection) => assert_eq!(rejection, link::Rejection::Expired),
    }
    // Never a device token: another domain.
    let device_check = Check {
        now: i64::MIN,
        user: Some(&user),
        revoked: &[],
    };
    assert!(device::verify(&keys, &issued.token, &device_check).is_err());
    let check = LinkCheck {
        now: i64::MIN,
        ..check
    };
    if let Some(changed) = changed(&issued.token, at, with) {
        assert!(
            link::verify(&keys, &changed, &check).is_err(),
            "a changed link verifies"
        );
    }
}
