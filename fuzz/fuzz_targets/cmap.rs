//! The CMap parser (`pdf::cmap::CMap::parse`) and the lookups built on it.
#![no_main]
use annex2json::pdf::cmap::CMap;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut cm = CMap::parse(data);
    cm.finish();
    let _ = cm.vertical();
    let _ = cm.has_unicode();
    // Cut the input's tail into codes and look every code up.
    let tail = &data[data.len().saturating_sub(64)..];
    for (code, len) in cm.codes(tail) {
        let _ = cm.cid(code, len);
        let _ = cm.unicode(code, len);
    }
    let _ = annex2json::pdf::cmap::utf16be(tail);
});
