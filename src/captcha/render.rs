//! Drawing and speaking an answer. CPU work: called on the drawing threads only.

use std::io::Cursor;

use captcha::filters::{Dots, Noise, Wave};
use captcha::Captcha;

/// Characters the font can't draw (only possible with a test answer) are left out.
fn captcha_of(answer: &str) -> Captcha {
    let mut captcha = Captcha::new();
    let supported = captcha.supported_chars();
    for c in answer.chars().filter(|c| supported.contains(c)) {
        captcha.set_chars(&[c]);
        captcha.add_char();
    }
    captcha
}

pub fn png(answer: &str) -> Option<Vec<u8>> {
    let mut captcha = captcha_of(answer);
    captcha
        .apply_filter(Noise::new(0.2))
        .apply_filter(Wave::new(2.0, 8.0))
        .view(240, 90)
        .apply_filter(Dots::new(8))
        .set_color([47, 91, 211]);
    captcha.as_png()
}

/// The answer spoken letter by letter, with a pause between letters, as one WAV file.
pub fn wav(answer: &str) -> Option<Vec<u8>> {
    let letters = captcha_of(answer).as_wav();
    let mut samples: Vec<i16> = Vec::new();
    let mut spec = None;
    for letter in letters {
        let reader = hound::WavReader::new(Cursor::new(letter?)).ok()?;
        let this = reader.spec();
        if spec.is_some_and(|s| s != this) {
            return None;
        }
        spec = Some(this);
        samples.extend(reader.into_samples::<i16>().collect::<Result<Vec<_>, _>>().ok()?);
        samples.extend(std::iter::repeat_n(0, this.sample_rate as usize * 4 / 10));
    }
    let spec = spec?;
    let mut out = Cursor::new(Vec::new());
    let mut writer = hound::WavWriter::new(&mut out, spec).ok()?;
    for s in samples {
        writer.write_sample(s).ok()?;
    }
    writer.finalize().ok()?;
    Some(out.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_a_png_and_speaks_every_letter() {
        let image = png("ab3de").unwrap();
        assert!(image.starts_with(b"\x89PNG"));
        let audio = wav("ab3de").unwrap();
        let reader = hound::WavReader::new(Cursor::new(audio)).unwrap();
        let seconds = reader.duration() as f64 / reader.spec().sample_rate as f64;
        assert!(seconds > 5.0 * 0.4, "five letters and their pauses: {seconds} s");
    }
}
