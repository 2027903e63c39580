//! What the package says must match what the core is: the error table of the package's
//! README lists every `Code` in order, and the JavaScript layer's constants are the
//! core's. (The TypeScript `ErrorCode` union is generated from `Code::ALL`; the JS tests
//! check it against this same README table.)

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests may panic: that is how they fail

use twofa::{Code, WarningCode};

const PACKAGE_README: &str = include_str!("../js/README.md");

/// The codes in the first column of the table under `heading`, in order.
fn table_codes(heading: &str) -> Vec<String> {
    let start = PACKAGE_README
        .find(heading)
        .unwrap_or_else(|| panic!("no {heading:?} in js/README.md"));
    PACKAGE_README[start..]
        .lines()
        .skip_while(|line| !line.starts_with('|'))
        .take_while(|line| line.starts_with('|'))
        .skip(2) // the header and the rule
        .map(|line| {
            line.split('|')
                .nth(1)
                .unwrap()
                .trim()
                .trim_matches('`')
                .to_owned()
        })
        .collect()
}

#[test]
fn the_package_readme_lists_every_error_code_in_order() {
    let ours: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(table_codes("## Errors"), ours);
}

#[test]
fn the_package_readme_lists_every_warning_code_in_order() {
    let ours: Vec<&str> = WarningCode::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(table_codes("## Warnings"), ours);
}

#[test]
fn the_javascript_layer_has_the_cores_qr_uri_limit() {
    let source = include_str!("../js/qr.ts");
    let line = source
        .lines()
        .find(|l| l.starts_with("export const MAX_QR_URI_LEN = "))
        .expect("js/qr.ts exports MAX_QR_URI_LEN");
    let value: usize = line
        .trim_start_matches("export const MAX_QR_URI_LEN = ")
        .trim_end_matches(';')
        .replace('_', "")
        .parse()
        .unwrap();
    assert_eq!(value, twofa::MAX_QR_URI_LEN);
}

/// The value of `const <name> = …;` in a file of the JavaScript layer: a number, with `_`
/// separators or as `a << b`.
fn js_constant(source: &str, name: &str) -> u64 {
    let prefix = format!("const {name} = ");
    let line = source
        .lines()
        .find(|l| l.starts_with(&prefix))
        .unwrap_or_else(|| panic!("no {prefix}"));
    let value = line[prefix.len()..].trim_end_matches(';').replace('_', "");
    match value.split_once(" << ") {
        Some((a, b)) => a.parse::<u64>().unwrap() << b.parse::<u32>().unwrap(),
        None => value.parse().unwrap(),
    }
}

#[test]
#[cfg(feature = "import")]
fn the_javascript_layer_has_the_cores_import_limits() {
    use twofa::transfer::import::{MAX_ENTRIES, MAX_IMPORT_LEN};
    let source = include_str!("../js/import.ts");
    assert_eq!(js_constant(source, "MAX_IMPORT_LEN"), MAX_IMPORT_LEN as u64);
    assert_eq!(js_constant(source, "MAX_ACCOUNTS"), MAX_ENTRIES as u64);
}

#[test]
fn the_package_readme_lists_every_import_format_in_order() {
    let ours: Vec<&str> = twofa::transfer::import::ImportFormat::ALL
        .iter()
        .map(|f| f.as_str())
        .collect();
    assert_eq!(table_codes("### Formats"), ours);
}
