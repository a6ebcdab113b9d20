//! Replays the committed fuzz corpus (`fuzz/corpus/<target>/`) through the
//! fuzz targets' own bodies, so every `cargo test` re-checks the inputs the
//! fuzzer kept (and any past finding added there), without cargo-fuzz.

#[path = "../fuzz/src/lib.rs"]
mod targets;

/// The corpus files of `target`, sorted by name.
fn corpus(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = format!("{}/fuzz/corpus/{target}", env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .map(|entry| {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&path).unwrap())
        })
        .collect();
    files.sort();
    assert!(!files.is_empty(), "{dir} is empty");
    files
}

#[test]
fn sign_corpus() {
    let signed = corpus("sign")
        .iter()
        .filter(|(_, data)| targets::sign(data))
        .count();
    // Some inputs must get through signing, so that the replay also checks
    // that what was signed parses and verifies.
    assert!(signed > 0, "no corpus input signs");
}

#[test]
fn verify_url_corpus() {
    for (name, data) in corpus("verify_url") {
        let verified = targets::verify_url(&data);
        // The hand-made seeds are valid presigned requests: they must get
        // past every check, or the fuzzer starts from nothing.
        if name.starts_with("seed-") {
            assert!(verified, "{name} does not verify");
        }
    }
}

#[test]
fn verify_post_form_corpus() {
    for (name, data) in corpus("verify_post_form") {
        let verified = targets::verify_post_form(&data);
        if name.starts_with("seed-") {
            assert!(verified, "{name} does not verify");
        }
    }
}

#[test]
fn post_policy_corpus() {
    let signed = corpus("post_policy")
        .iter()
        .filter(|(_, data)| targets::post_policy(data))
        .count();
    assert!(signed > 0, "no corpus input signs");
}
