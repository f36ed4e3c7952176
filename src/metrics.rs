//! Request metrics kept in atomics and rendered in the Prometheus text format: a counter per status
//! class and a latency histogram. Paths are not labels, so a scan of random URLs cannot grow them.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

const BUCKETS_MS: [u64; 10] = [1, 2, 5, 10, 25, 50, 100, 250, 1000, 5000];

#[derive(Default)]
pub struct Metrics {
    by_class: [AtomicU64; 5],
    buckets: [AtomicU64; BUCKETS_MS.len()],
    count: AtomicU64,
    sum_micros: AtomicU64,
}

impl Metrics {
    pub fn observe(&self, status: u16, elapsed: Duration) {
        let class = usize::from(status / 100).clamp(1, 5) - 1;
        self.by_class[class].fetch_add(1, Ordering::Relaxed);
        let ms = elapsed.as_millis() as u64;
        for (i, le) in BUCKETS_MS.iter().enumerate() {
            if ms <= *le {
                self.buckets[i].fetch_add(1, Ordering::Relaxed);
            }
        }
        self.count.fetch_add(1, Ordering::Relaxed);
        self.sum_micros
            .fetch_add(elapsed.as_micros() as u64, Ordering::Relaxed);
    }

    pub fn render(&self) -> String {
        let mut out = String::new();
        out.push_str("# HELP pac_http_requests_total HTTP requests answered, by status class.\n");
        out.push_str("# TYPE pac_http_requests_total counter\n");
        for (i, n) in self.by_class.iter().enumerate() {
            out.push_str(&format!(
                "pac_http_requests_total{{status=\"{}xx\"}} {}\n",
                i + 1,
                n.load(Ordering::Relaxed)
            ));
        }
        out.push_str("# HELP pac_http_request_duration_seconds Time to answer HTTP requests.\n");
        out.push_str("# TYPE pac_http_request_duration_seconds histogram\n");
        for (i, le) in BUCKETS_MS.iter().enumerate() {
            out.push_str(&format!(
                "pac_http_request_duration_seconds_bucket{{le=\"{}\"}} {}\n",
                *le as f64 / 1000.0,
                self.buckets[i].load(Ordering::Relaxed)
            ));
        }
        let count = self.count.load(Ordering::Relaxed);
        out.push_str(&format!(
            "pac_http_request_duration_seconds_bucket{{le=\"+Inf\"}} {count}\n"
        ));
        out.push_str(&format!(
            "pac_http_request_duration_seconds_sum {}\n",
            self.sum_micros.load(Ordering::Relaxed) as f64 / 1e6
        ));
        out.push_str(&format!(
            "pac_http_request_duration_seconds_count {count}\n"
        ));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_buckets_are_cumulative() {
        let m = Metrics::default();
        m.observe(200, Duration::from_millis(3));
        m.observe(404, Duration::from_millis(30));
        let text = m.render();
        assert!(text.contains("pac_http_requests_total{status=\"2xx\"} 1"));
        assert!(text.contains("pac_http_requests_total{status=\"4xx\"} 1"));
        assert!(text.contains("pac_http_request_duration_seconds_bucket{le=\"0.005\"} 1"));
        assert!(text.contains("pac_http_request_duration_seconds_bucket{le=\"0.05\"} 2"));
        assert!(text.contains("pac_http_request_duration_seconds_count 2"));
    }
}
