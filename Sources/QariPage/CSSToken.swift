extension CSS {
    public enum Token: Equatable, Sendable {
        case ident(String)
        case function(String)
        case atKeyword(String)
        case hash(String, isID: Bool)
        case string(String)
        case badString
        case url(String)
        case badURL
        case delim(Unicode.Scalar)
        case number(Double, String)
        case percentage(Double, String)
        case dimension(Double, String, unit: String)
        case whitespace
        case cdo, cdc, colon, semicolon, comma
        case openSquare, closeSquare, openParen, closeParen, openCurly, closeCurly

        /// The token as CSS text (serializing tokens back gives equivalent CSS).
        public var css: String {
            switch self {
            case .ident(let s): CSS.escapeIdent(s)
            case .function(let s): CSS.escapeIdent(s) + "("
            case .atKeyword(let s): "@" + CSS.escapeIdent(s)
            case .hash(let s, _): "#" + CSS.escapeName(s)
            case .string(let s): CSS.quote(s)
            // Written so that they read back as what they are (a declaration holding one stays invalid).
            case .badString: "\"\n"
            case .url(let s): "url(" + CSS.escapeURL(s) + ")"
            case .badURL: "url(bad\")"
            case .delim(let c): c == "\\" ? "\\\n" : String(c)
            case .number(_, let r), .percentage(_, let r): r + (self.isPercentage ? "%" : "")
            case .dimension(_, let r, let unit): r + CSS.escapeUnit(unit, after: r)
            case .whitespace: " "
            case .cdo: "<!--"
            case .cdc: "-->"
            case .colon: ":"
            case .semicolon: ";"
            case .comma: ","
            case .openSquare: "["
            case .closeSquare: "]"
            case .openParen: "("
            case .closeParen: ")"
            case .openCurly: "{"
            case .closeCurly: "}"
            }
        }

        var isPercentage: Bool {
            if case .percentage = self { return true }
            return false
        }
    }
}
