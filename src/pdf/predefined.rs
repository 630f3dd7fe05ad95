//! Adobe's predefined Chinese CMaps (UniGB-UCS2-H/V, UniGB-UTF16-H/V, GBK-EUC-H/V,
//! GB-EUC-H/V, GBpc-EUC-H/V) and the Adobe-GB1 CID → Unicode table, read from
//! `generated/adobe_gb1.bin` (built by `tools/gen-adobe-gb1`, licence in
//! `generated/LICENSE-Adobe-CMaps.md`). Decoding the varint format is by hand: it is ours.

use super::cmap::{CMap, CidRange, CodeSpace};
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

static DATA: &[u8] = include_bytes!("generated/adobe_gb1.bin");

struct Tables {
    cmaps: HashMap<String, Arc<CMap>>,
    /// (first cid, count, first code point), sorted by cid.
    to_unicode: Vec<(u32, u32, u32)>,
}

struct Reader<'a> {
    d: &'a [u8],
    i: usize,
}

impl Reader<'_> {
    fn byte(&mut self) -> Option<u8> {
        let b = *self.d.get(self.i)?;
        self.i += 1;
        Some(b)
    }
    fn v(&mut self) -> Option<u64> {
        let mut x = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            x |= ((b & 0x7f) as u64) << shift;
            if b & 0x80 == 0 {
                return Some(x);
            }
        }
        None
    }
    fn z(&mut self) -> Option<i64> {
        let u = self.v()?;
        Some(((u >> 1) as i64) ^ -((u & 1) as i64))
    }
    fn str(&mut self) -> Option<String> {
        let n = self.v()? as usize;
        let s = self.d.get(self.i..self.i + n)?;
        self.i += n;
        Some(String::from_utf8_lossy(s).into_owned())
    }
}

fn load() -> Option<Tables> {
    let mut r = Reader { d: DATA, i: 0 };
    if r.d.get(0..4)? != b"GB1T" || r.d.get(4) != Some(&2) {
        return None;
    }
    r.i = 5;
    let mut raw: Vec<CMap> = Vec::new();
    for _ in 0..r.v()? {
        let mut cm = CMap::default();
        cm.name = Some(r.str()?);
        let parent = r.str()?;
        cm.usecmap = (!parent.is_empty()).then_some(parent);
        cm.wmode = r.byte()?;
        for _ in 0..r.v()? {
            let len = r.byte()?;
            let lo = r.v()? as u32;
            let hi = r.v()? as u32;
            cm.codespace.push(CodeSpace { len, lo, hi });
        }
        let (mut prev_len, mut prev_hi, mut prev_cid) = (0u8, -1i64, 0i64);
        for _ in 0..r.v()? {
            let len = r.byte()?;
            if len != prev_len {
                prev_len = len;
                prev_hi = -1;
            }
            let lo = (prev_hi + 1 + r.v()? as i64) as u32;
            let hi = lo + r.v()? as u32;
            let cid = (prev_cid + r.z()?) as u32;
            cm.cid_ranges.push(CidRange { len, lo, hi, cid });
            prev_hi = hi as i64;
            prev_cid = cid as i64;
        }
        cm.finish();
        raw.push(cm);
    }
    let mut to_unicode = Vec::new();
    let (mut end, mut prev_u) = (0u32, 0i64);
    for _ in 0..r.v()? {
        let cid = end + r.v()? as u32;
        let n = r.v()? as u32;
        let u = (prev_u + r.z()?) as u32;
        to_unicode.push((cid, n, u));
        end = cid + n;
        prev_u = u as i64;
    }
    // Resolve usecmap (parents come first in the table or are looked up by name).
    let mut cmaps: HashMap<String, Arc<CMap>> = HashMap::new();
    let mut pending = raw;
    for _ in 0..4 {
        let mut left = Vec::new();
        for mut cm in pending {
            let name = cm.name.clone().unwrap_or_default();
            match cm.usecmap.clone() {
                None => {
                    cmaps.insert(name, Arc::new(cm));
                }
                Some(p) => match cmaps.get(&p) {
                    Some(parent) => {
                        cm.set_parent(parent.clone());
                        cmaps.insert(name, Arc::new(cm));
                    }
                    None => left.push(cm),
                },
            }
        }
        pending = left;
        if pending.is_empty() {
            break;
        }
    }
    Some(Tables { cmaps, to_unicode })
}

fn tables() -> Option<&'static Tables> {
    static T: OnceLock<Option<Tables>> = OnceLock::new();
    T.get_or_init(load).as_ref()
}

/// A predefined CMap by name (`UniGB-UCS2-H` …), if we carry it.
pub fn cmap(name: &str) -> Option<Arc<CMap>> {
    tables()?.cmaps.get(name).cloned()
}

/// The Unicode character of an Adobe-GB1 CID.
pub fn gb1_unicode(cid: u32) -> Option<char> {
    let t = &tables()?.to_unicode;
    let i = t.partition_point(|r| r.0 <= cid);
    let (first, n, u) = *t.get(i.checked_sub(1)?)?;
    if cid < first + n { char::from_u32(u + (cid - first)) } else { None }
}

/// True for the predefined CMaps whose codes are Unicode (UCS-2 / UTF-16BE).
pub fn is_unicode_cmap(name: &str) -> bool {
    name.starts_with("UniGB-UCS2") || name.starts_with("UniGB-UTF16")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_load() {
        let h = cmap("UniGB-UCS2-H").expect("UniGB-UCS2-H");
        let cid = h.cid(0x4e00, 2).expect("一 has a CID");
        assert_eq!(gb1_unicode(cid), Some('一'));
        let v = cmap("UniGB-UCS2-V").expect("V");
        assert!(v.vertical());
        // Vertical form of the ideographic comma, and a fall-through to the H map.
        assert_eq!(v.cid(0x3001, 2), Some(575));
        assert_eq!(v.cid(0x4e00, 2), Some(cid));
        let gbk = cmap("GBK-EUC-H").expect("GBK");
        // 中 = D6D0 in GBK
        let codes = gbk.codes(&[0x41, 0xd6, 0xd0]);
        assert_eq!(codes, vec![(0x41, 1), (0xd6d0, 2)]);
        assert_eq!(gbk.cid(0xd6d0, 2).and_then(gb1_unicode), Some('中'));
        assert_eq!(gbk.cid(0x41, 1).and_then(gb1_unicode), Some('A'));
        for n in ["UniGB-UTF16-H", "UniGB-UTF16-V", "GB-EUC-H", "GB-EUC-V", "GBK-EUC-V", "GBpc-EUC-H"] {
            assert!(cmap(n).is_some(), "{n}");
        }
        assert_eq!(gb1_unicode(0), None);
    }
}
