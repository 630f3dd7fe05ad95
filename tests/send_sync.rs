//! The library can be driven from many threads (issue 6): its public types are Send + Sync,
//! checked at compile time, and concurrent extraction gives the same documents as serial.

use annex2json::model::{
    Annex, AnnexSource, Cell, Check, Column, Diagnostic, Document, Goals, Indicator, Kind, Level,
    Position, Row, Signoff, Source, Table, Total,
};
use annex2json::token::{Layout, Line, Rule, Token, XUnit};

fn assert_send_sync<T: Send + Sync>() {}

#[test]
fn public_types_are_send_and_sync() {
    assert_send_sync::<annex2json::Document>();
    assert_send_sync::<annex2json::Error>();
    assert_send_sync::<annex2json::Result<Document>>();
    assert_send_sync::<Document>();
    assert_send_sync::<Source>();
    assert_send_sync::<Annex>();
    assert_send_sync::<AnnexSource>();
    assert_send_sync::<Kind>();
    assert_send_sync::<Table>();
    assert_send_sync::<Column>();
    assert_send_sync::<Row>();
    assert_send_sync::<Cell>();
    assert_send_sync::<Goals>();
    assert_send_sync::<Indicator>();
    assert_send_sync::<Total>();
    assert_send_sync::<Signoff>();
    assert_send_sync::<Check>();
    assert_send_sync::<Level>();
    assert_send_sync::<Position>();
    assert_send_sync::<Diagnostic>();
    assert_send_sync::<Layout>();
    assert_send_sync::<Line>();
    assert_send_sync::<Token>();
    assert_send_sync::<Rule>();
    assert_send_sync::<XUnit>();
    assert_send_sync::<annex2json::cell::Quantity>();
    assert_send_sync::<annex2json::classify::Basis>();
    assert_send_sync::<annex2json::segment::Segment>();
    // The entry points themselves, as values handed to worker threads.
    assert_send_sync::<fn(&[u8], &str) -> annex2json::Result<Document>>();
    let _f: fn(&[u8], &str) -> annex2json::Result<Document> = annex2json::extract_bytes;
    let _g: fn(&[u8]) -> Result<Layout, String> = annex2json::pdf::read;
}

#[test]
fn concurrent_extraction_matches_serial() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let inputs = [
        "corpus/hunan-rst-2024/source.txt",
        "corpus/real/jiangsu-npc-office-2019-budget.pdf",
    ];
    let bytes: Vec<Vec<u8>> = inputs
        .iter()
        .map(|p| std::fs::read(root.join(p)).unwrap())
        .collect();
    let json =
        |b: &[u8]| serde_json::to_string(&annex2json::extract_bytes(b, "x").unwrap()).unwrap();
    let serial: Vec<String> = bytes.iter().map(|b| json(b)).collect();
    let parallel: Vec<String> = std::thread::scope(|s| {
        let hs: Vec<_> = (0..4)
            .map(|i| {
                s.spawn({
                    let b = &bytes[i % bytes.len()];
                    move || json(b)
                })
            })
            .collect();
        hs.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for (i, p) in parallel.iter().enumerate() {
        assert!(
            *p == serial[i % serial.len()],
            "thread {i}: document differs from the serial one"
        );
    }
}
