//! Times `analyze` over every message given on the command line (ten rounds) and prints
//! MB/s: a quick native check of the analysis cost before the browser benchmark.
fn main() {
    let files: Vec<Vec<u8>> = std::env::args()
        .skip(1)
        .filter_map(|p| std::fs::read(p).ok())
        .collect();
    let bytes: usize = files.iter().map(Vec::len).sum();
    let start = std::time::Instant::now();
    let mut bounces = 0;
    for _ in 0..10 {
        for f in &files {
            if let Ok(r) = mailscope_core::analyze(f) {
                bounces += usize::from(r.bounce.is_some());
            }
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{} messages, {:.1} MB/s, {} reports",
        files.len(),
        bytes as f64 * 10.0 / secs / 1e6,
        bounces / 10
    );
}
