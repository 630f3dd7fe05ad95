//! Glyphs → lines → tokens.
//!
//! The downstream grammars were written against text dumps in which a new line starts,
//! at the start of a string operand, when the baseline moves by more than 1.5 font sizes,
//! or moves by more than half a font size while the pen goes back to the left; and a space
//! is written when the pen jumps right by more than 0.1 font size. We cut lines the same
//! way, in content-stream order, so a PDF reads like its dump; a line that starts with such
//! a jump is marked [`Line::starts_block`], and blank lines stand where the dumps have
//! them (the grammars read them as paragraph breaks). Within a line, tokens are cut where the gap
//! between glyphs exceeds a quarter em (or at space characters), which keeps the cells of
//! one table row apart with their exact x extents.
//!
//! Hand-written: the rules are ours (they mirror the dumps we must match).

use super::interpreter::Glyph;
use crate::model::{Diagnostic, Position};
use crate::token::{Line, Token};

/// Gap (in ems) above which two glyphs of one line belong to different tokens.
const TOKEN_GAP_EM: f32 = 0.25;

/// Line-level `undecodable_text` diagnostics kept before the rest are summed up in one.
const MAX_LINE_DIAGNOSTICS: usize = 100;

struct Pending {
    page: u32,
    y: f32,
    size: f32,
    starts_block: bool,
    glyphs: Vec<Glyph>,
}

/// Build lines from glyphs in content-stream order.
///
/// Blank lines are kept where the dumps have them: a string operand that moves the
/// baseline by more than 1.5 font sizes *and* goes back to the left (more than half a
/// font size down) ends the line twice over, so an empty [`Line`] stands between.
pub fn lines(glyphs: Vec<Glyph>, diagnostics: &mut Vec<Diagnostic>) -> Vec<Line> {
    let mut undecodable: Vec<Diagnostic> = Vec::new();
    let diagnostics_out = diagnostics;
    let diagnostics = &mut undecodable;
    let mut out: Vec<Line> = Vec::new();
    let mut cur: Option<Pending> = None;
    let mut last_end = f32::MAX;
    let mut last_y = 0.0f32;
    for g in glyphs {
        let s = g.size.max(0.01);
        let new_page = cur.as_ref().is_some_and(|c| c.page != g.page);
        if cur.is_none() || new_page || g.show_start {
            let dy = (g.y - last_y).abs();
            let far = dy > 1.5 * s;
            let back = g.x < last_end && dy > 0.5 * s;
            let newlines = far as usize + back as usize;
            if cur.is_none() || new_page || newlines > 0 {
                // Blank lines: one per newline beyond the one that ends the current line;
                // before the first text, every newline leaves one.
                let blanks = if cur.is_none() && out.is_empty() { newlines } else { newlines.saturating_sub(1) };
                if let Some(p) = cur.take() {
                    finish(p, &mut out, diagnostics);
                }
                for _ in 0..blanks {
                    let number = out.len() + 1;
                    out.push(Line {
                        number,
                        page: Some(g.page),
                        y: None,
                        size: None,
                        starts_block: false,
                        tokens: Vec::new(),
                    });
                }
                cur = Some(Pending {
                    page: g.page,
                    y: g.y,
                    size: g.size,
                    starts_block: last_end != f32::MAX && g.x > last_end + 0.1 * s,
                    glyphs: Vec::new(),
                });
            }
        }
        last_y = g.y;
        last_end = g.x + g.adv;
        if let Some(c) = cur.as_mut() {
            c.glyphs.push(g);
        }
    }
    if let Some(p) = cur.take() {
        finish(p, &mut out, diagnostics);
    }
    // One diagnostic per line up to a cap; past it, one summary.
    let n = undecodable.len();
    if n > MAX_LINE_DIAGNOSTICS {
        let rest = undecodable.split_off(MAX_LINE_DIAGNOSTICS);
        let first = rest.first().and_then(|d| d.at.clone());
        undecodable.push(Diagnostic::warning(
            "undecodable_text",
            format!("{} more lines hold glyphs whose text the font does not give", rest.len()),
            first,
        ));
    }
    diagnostics_out.extend(undecodable);
    out
}

fn finish(p: Pending, out: &mut Vec<Line>, diagnostics: &mut Vec<Diagnostic>) {
    let number = out.len() + 1;
    let mut tokens: Vec<Token> = Vec::new();
    let mut text = String::new();
    let (mut x0, mut x1) = (0.0f32, 0.0f32);
    let mut ty = p.y;
    let mut undecodable: Vec<String> = Vec::new();
    let flush = |text: &mut String, x0: f32, x1: f32, tokens: &mut Vec<Token>, y: f32| {
        if !text.is_empty() {
            tokens.push(Token { text: crate::radicals::fold(text), x0, x1, y: Some(y) });
            text.clear();
        }
    };
    for g in &p.glyphs {
        let em = g.size.max(0.01);
        let Some(t) = &g.text else {
            if !undecodable.iter().any(|f| f == &*g.font) {
                undecodable.push(g.font.to_string());
            }
            continue;
        };
        if t.chars().all(char::is_whitespace) {
            flush(&mut text, x0, x1, &mut tokens, ty);
            continue;
        }
        if !text.is_empty() {
            let gap = g.x - x1;
            if gap > TOKEN_GAP_EM * em || gap < -TOKEN_GAP_EM * em - 0.5 * em {
                flush(&mut text, x0, x1, &mut tokens, ty);
            }
        }
        if text.is_empty() {
            x0 = g.x;
            ty = g.y;
        }
        text.extend(t.chars().filter(|c| !c.is_control()));
        x1 = g.x + g.adv;
    }
    flush(&mut text, x0, x1, &mut tokens, ty);
    if !undecodable.is_empty() {
        let n = p.glyphs.iter().filter(|g| g.text.is_none()).count();
        diagnostics.push(Diagnostic::warning(
            "undecodable_text",
            format!("{n} glyph(s) whose text the font does not give (font {})", undecodable.join(", ")),
            Some(Position { page: Some(p.page), line: Some(number) }),
        ));
    }
    // A line of only spaces or undecodable glyphs stays, as a blank line.
    out.push(Line {
        number,
        page: Some(p.page),
        y: Some(p.y),
        size: Some(p.size),
        starts_block: p.starts_block,
        tokens,
    });
}
