import HTTPTypes
import Hummingbird

/// Who may call a route, and the middleware its group carries.
enum RouteClass: String, Sendable {
    /// The portal server's own calls: an API key.
    case portal
    /// What browsers call through the widget: open, limited per client, CORS for the portal's origins.
    case widget
    /// Health, metrics and the API document, for operators and monitors: open.
    case open
}

/// Every route of the daemon, declared once: its path as OpenAPI writes it, its methods and who may call it.
///
/// `RouteGroups` registers these paths (and `HEAD` beside `GET`) in their class's group, and every other method as
/// a preflight's answer or `405 Allow`; a test checks that the router and `openapi.json` hold exactly these. A path
/// no route declares is a 404 of no class.
enum Route: String, CaseIterable, Sendable {
    case speech = "/v1/speech"
    case speechMarks = "/v1/speech/marks"
    case read = "/v1/read"
    case readPlan = "/v1/read/plan"
    case transform = "/v1/transform"
    case voices = "/v1/voices"
    case transformCSS = "/v1/transform.css"
    case readings = "/v1/readings"
    case reading = "/v1/readings/{id}"
    case readingFile = "/v1/readings/{id}/{file}"
    case fields = "/v1/fields"
    case events = "/v1/events"
    case reports = "/v1/reports"
    case widgetFile = "/widget/{file}"
    case demoIndex = "/"
    case demoFile = "/demo/{file}"
    case health = "/health"
    case metrics = "/metrics"
    case openAPI = "/openapi.json"

    /// Who may call it with `method`: a listener sends a report from the widget, an operator reads them with a key.
    func access(_ method: HTTPRequest.Method) -> RouteClass {
        self == .reports && method != .post ? .portal : access
    }

    /// Who may call it (by its main method).
    var access: RouteClass {
        switch self {
        case .speech, .speechMarks, .read, .readPlan, .transform: .portal
        case .reports: .widget
        case .voices, .transformCSS, .readings, .reading, .readingFile, .fields, .events, .widgetFile, .demoIndex,
            .demoFile:
            .widget
        case .health, .metrics, .openAPI: .open
        }
    }

    /// The methods its handlers take (`HEAD` is answered wherever `GET` is).
    var methods: [HTTPRequest.Method] {
        switch self {
        case .speech, .speechMarks, .read, .readPlan, .transform, .readings, .fields, .events: [.post]
        case .reports: [.post, .get]
        default: [.get]
        }
    }

    /// What `Allow` says: the methods, and `HEAD` with `GET`.
    var allowed: [HTTPRequest.Method] { methods.contains(.get) ? methods + [.head] : methods }

    /// Hummingbird's form of the path: `v1/readings/:id`.
    var pattern: RouterPath {
        let segments = rawValue.split(separator: "/").map { s in
            s.hasPrefix("{") && s.hasSuffix("}") ? ":" + s.dropFirst().dropLast() : String(s)
        }
        return RouterPath(segments.isEmpty ? "/" : segments.joined(separator: "/"))
    }
}
