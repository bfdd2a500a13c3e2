//! Drives tough (the awslabs TUF client) against a TUF repository on disk, as tufsh's interop
//! tests need it. Same arguments and output as src/test/js/refresh.mjs:
//!
//!   tough-refresh --metadata-url file:///.../metadata/ --targets-url file:///.../targets/
//!                 --root FILE --cache DIR [--target PATH]... [--out DIR]
//!
//! The cache's root.json (tough's datastore keeps the newest trusted root there) is the trusted
//! root when present, else --root. Prints one JSON line {ok, error, targets: [{path, length,
//! sha256}]}; exit 0 or 1. Built without tough's HTTP feature: URLs are file:// URLs.
use futures::StreamExt;
use sha2::{Digest, Sha256};
use std::path::PathBuf;
use tough::{RepositoryLoader, TargetName};
use url::Url;

struct Args {
    metadata_url: String,
    targets_url: String,
    root: PathBuf,
    cache: PathBuf,
    out: Option<PathBuf>,
    targets: Vec<String>,
}

fn parse() -> Result<Args, String> {
    let mut a = Args {
        metadata_url: String::new(),
        targets_url: String::new(),
        root: PathBuf::new(),
        cache: PathBuf::new(),
        out: None,
        targets: Vec::new(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().ok_or(format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--metadata-url" => a.metadata_url = value,
            "--targets-url" => a.targets_url = value,
            "--root" => a.root = value.into(),
            "--cache" => a.cache = value.into(),
            "--out" => a.out = Some(value.into()),
            "--target" => a.targets.push(value),
            _ => return Err(format!("unknown option {flag}")),
        }
    }
    if a.metadata_url.is_empty() || a.root.as_os_str().is_empty() || a.cache.as_os_str().is_empty() {
        return Err("missing --metadata-url, --root or --cache".into());
    }
    Ok(a)
}

fn one_line(s: String) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The error and its causes, as tough's snafu errors nest the useful part.
fn describe(e: &dyn std::error::Error) -> String {
    let mut msg = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        msg.push_str(": ");
        msg.push_str(&c.to_string());
        cur = c.source();
    }
    one_line(msg)
}

async fn run(a: Args) -> Result<Vec<serde_json::Value>, String> {
    let out = a.out.clone().unwrap_or_else(|| a.cache.join("targets"));
    std::fs::create_dir_all(&a.cache).map_err(|e| e.to_string())?;
    std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;
    let cached = a.cache.join("root.json");
    let root = std::fs::read(if cached.exists() { &cached } else { &a.root }).map_err(|e| e.to_string())?;
    let meta = Url::parse(&a.metadata_url).map_err(|e| e.to_string())?;
    let targets_url = if a.targets_url.is_empty() { meta.clone() } else { a.targets_url.clone().parse().map_err(|e: url::ParseError| e.to_string())? };
    let repo = RepositoryLoader::new(&root, meta, targets_url)
        .datastore(&a.cache)
        .load()
        .await
        .map_err(|e| describe(&e))?;
    let mut done = Vec::new();
    for path in &a.targets {
        let name = TargetName::new(path.clone()).map_err(|e| describe(&e))?;
        let mut stream = repo
            .read_target(&name)
            .await
            .map_err(|e| describe(&e))?
            .ok_or(format!("target '{path}' is not listed in the repository"))?;
        let mut bytes = Vec::new();
        while let Some(chunk) = stream.next().await {
            bytes.extend_from_slice(&chunk.map_err(|e| describe(&e))?);
        }
        let file = out.join(path);
        if let Some(dir) = file.parent() {
            std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
        }
        std::fs::write(&file, &bytes).map_err(|e| e.to_string())?;
        done.push(serde_json::json!({
            "path": path,
            "length": bytes.len(),
            "sha256": hex::encode(Sha256::digest(&bytes)),
        }));
    }
    Ok(done)
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let result = match parse() {
        Ok(a) => run(a).await,
        Err(e) => Err(e),
    };
    let (line, code) = match result {
        Ok(t) => (serde_json::json!({"ok": true, "error": null, "targets": t}), 0),
        Err(e) => (serde_json::json!({"ok": false, "error": e, "targets": []}), 1),
    };
    println!("{line}");
    std::process::exit(code);
}
