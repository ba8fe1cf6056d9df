import CoreMetrics
import Hummingbird
import Prometheus
import QariReading
import QariSpeech
import QariWorkers
import Synchronization

/// The daemon's Prometheus metrics: requests through swift-metrics, the pools and the cache read at each scrape.
public final class QariMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory
    /// Monotonic values the pools and the cache count themselves: the last seen, to add only what is new.
    private let seen = Mutex<[String: Int]>([:])

    public init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
            .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
            .seconds(30), .seconds(60), .seconds(120),
        ]
        self.factory = factory
    }

    /// One answered request: its route template, method, status, and the time until its body was written.
    func request(route: String, method: String, status: Int, seconds: Double) {
        Counter(
            label: "qari_http_requests_total",
            dimensions: [("route", route), ("method", method), ("status", String(status))], factory: factory
        ).increment()
        CoreMetrics.Timer(
            label: "qari_http_request_duration_seconds", dimensions: [("route", route), ("method", method)],
            factory: factory
        ).recordNanoseconds(Int64(seconds * 1e9))
    }

    /// A listener's pronunciation report, taken.
    func reportTaken() {
        Counter(label: "qari_reports_total", factory: factory).increment()
    }

    /// Something the reader button saw in a page (`WidgetEvent`), counted by name.
    func widgetEvent(_ name: String) {
        Counter(label: "qari_widget_events_total", dimensions: [("event", name)], factory: factory).increment()
    }

    /// The reader button's time from a press of Listen to the first sound (`cached`: the reading was made before).
    func firstAudio(milliseconds: Int, cached: Bool) {
        CoreMetrics.Timer(
            label: "qari_widget_first_audio_seconds", dimensions: [("cached", cached ? "yes" : "no")],
            factory: factory
        ).recordMilliseconds(milliseconds)
    }

    /// A request turned away by a limit (`rule`: requests, readings, reports, concurrent, key).
    func refused(_ rule: String) {
        Counter(label: "qari_refused_total", dimensions: [("rule", rule)], factory: factory).increment()
    }

    private func gauge(_ name: String, _ labels: [(String, String)] = [], _ value: Int) {
        registry.makeGauge(name: name, labels: labels).set(Double(value))
    }

    private func counter(_ name: String, _ labels: [(String, String)] = [], total: Int) {
        let key = name + labels.map { "|\($0.0)=\($0.1)" }.joined()
        let added = seen.withLock { seen -> Int in
            let before = seen[key] ?? 0
            seen[key] = max(before, total)
            return max(0, total - before)
        }
        registry.makeCounter(name: name, labels: labels).increment(by: Int64(added))
    }

    /// The pools, the readings and the cache as they are now, then everything in the text format.
    func scrape(pools: [WorkerPoolStatus], readings: Readings) async -> [UInt8] {
        for pool in pools {
            let labels = [("pool", pool.name)]
            gauge("qari_pool_up", labels, pool.isUp ? 1 : 0)
            gauge("qari_pool_workers", labels, pool.workers.count)
            gauge("qari_pool_busy_workers", labels, pool.workers.filter { $0.state == "busy" }.count)
            gauge("qari_pool_queue_depth", labels, pool.queued)
            gauge("qari_pool_queue_limit", labels, pool.queueLimit)
            counter("qari_pool_restarts_total", labels, total: pool.restarts)
            counter("qari_pool_crashes_total", labels, total: pool.crashes)
            counter("qari_pool_timeouts_total", labels, total: pool.timeouts)
        }
        if let diacritizer = pools.first(where: { $0.name == "diacritizer" }) {
            gauge("qari_diacritizer_up", [], diacritizer.isUp ? 1 : 0)
        }
        gauge("qari_readings_in_flight", [], await readings.making)
        gauge("qari_speeches_in_flight", [], readings.speaker.admission.current)
        gauge("qari_speeches_limit", [], readings.speaker.admission.limit)
        counter("qari_syntheses_total", total: await readings.syntheses)
        counter("qari_page_plans_total", [("outcome", "read")], total: await readings.plansRead)
        counter("qari_page_plans_total", [("outcome", "remembered")], total: await readings.plansRemembered)
        let warming = readings.warming
        counter("qari_warms_total", total: warming.warms.load(ordering: .relaxed))
        gauge("qari_warm_pages", [], warming.pages.load(ordering: .relaxed))
        gauge("qari_warm_pages_done", [], warming.done.load(ordering: .relaxed))
        counter("qari_warm_failed_total", total: warming.failed.load(ordering: .relaxed))
        if let passages = readings.passages?.statistics {
            counter("qari_passages_total", [("outcome", "reused")], total: passages.reused)
            counter("qari_passages_total", [("outcome", "made")], total: passages.made)
        }
        counter("qari_readings_abandoned_total", total: await readings.abandoned)
        if let reports = readings.reports {
            counter("qari_reports_dropped_total", total: reports.droppedCount)
        }
        // Citizens' own pages: how many and how much, never an id or a word.
        let privacy = await readings.privateStatistics()
        gauge("qari_private_readings", [], privacy.readings)
        gauge("qari_private_bytes", [], privacy.bytes)
        counter("qari_private_readings_created_total", total: privacy.created)
        counter("qari_private_readings_expired_total", total: privacy.expired)
        counter("qari_private_readings_evicted_total", total: privacy.evicted)
        if let cache = await readings.store?.statistics() {
            counter("qari_cache_hits_total", total: cache.hits)
            counter("qari_cache_misses_total", total: cache.misses)
            counter("qari_cache_evictions_total", total: cache.evictions)
            counter("qari_cache_damaged_total", total: cache.damaged)
            gauge("qari_cache_degraded", [], cache.reason == nil ? 0 : 1)
            gauge("qari_cache_bytes", [], cache.bytes)
            gauge("qari_cache_limit_bytes", [], cache.limit)
            gauge("qari_cache_readings", [], cache.entries)
        }
        return registry.emitToBuffer()
    }
}

/// `GET /metrics`: Prometheus' text format.
struct MetricsRoutes: Sendable {
    let metrics: QariMetrics
    let readings: Readings

    func add(to groups: RouteGroups) {
        groups.on(.metrics) { _, _ in
            let text = await metrics.scrape(pools: await readings.poolsStatus().present, readings: readings)
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(bytes: text)))
        }
    }
}
