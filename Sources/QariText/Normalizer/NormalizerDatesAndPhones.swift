/// The normaliser's rules for dates, times and Moroccan phone numbers.
extension NormalizerScanner {
    // MARK: - Dates and times

    func date(at k: Int) -> (Int, String)? {
        guard let (a, e1) = digits(at: k), e1 < c.count else { return nil }
        let sep = c[e1]
        guard sep == "/" || sep == "-" || sep == ".", let (b, e2) = digits(at: e1 + 1), e2 < c.count, c[e2] == sep,
            let (y, e3) = digits(at: e2 + 1), atWordEnd(e3) || (e3 < c.count && c[e3] == ".")
        else { return nil }
        let day: Int
        let month: Int
        let year: Int
        if a.count == 4 && b.count <= 2 && y.count <= 2 {
            (year, month, day) = (Int(a)!, Int(b)!, Int(y)!)
        } else if a.count <= 2 && b.count <= 2 && y.count == 4 {
            (day, month, year) = (Int(a)!, Int(b)!, Int(y)!)
        } else {
            return nil
        }
        guard (1...12).contains(month), (1...31).contains(day) else { return nil }
        return (e3, spokenDate(day: day, month: month, year: year))
    }

    /// A date's written format, as forms show it (`JJ/MM/AAAA`, `jj-mm-aa`, `MM/AAAA`, `DD/MM/YYYY`): its parts said
    /// as words ("jour, mois, année"), never spelt out letter by letter.
    func dateFormat(at k: Int) -> (Int, String)? {
        var parts: [String] = []
        var j = k
        var separator: Unicode.Scalar?
        while j < c.count {
            let letter = String(c[j]).lowercased()
            guard let part = Self.dateFormatParts[letter] else { return nil }
            var n = 0
            while j < c.count, String(c[j]).lowercased() == letter {
                j += 1
                n += 1
            }
            guard (letter == "a" || letter == "y") ? n == 2 || n == 4 : n == 2 else { return nil }
            guard !parts.contains(part) else { return nil }
            parts.append(part)
            guard j < c.count, c[j] == "/" || c[j] == "-" || c[j] == ".", separator == nil || separator == c[j],
                j + 1 < c.count, Self.dateFormatParts[String(c[j + 1]).lowercased()] != nil
            else { break }
            separator = c[j]
            j += 1
        }
        guard parts.count >= 2, atWordEnd(j) else { return nil }
        return (j, parts.map { fr ? $0 : Self.arabicDateParts[$0]! }.joined(separator: fr ? ", " : "، "))
    }

    /// The letters of a date format and the part each stands for (French and English letters).
    static let dateFormatParts: [String: String] = [
        "j": "jour", "d": "jour", "m": "mois", "a": "année", "y": "année",
    ]
    static let arabicDateParts: [String: String] = ["jour": "اليوم", "mois": "الشهر", "année": "السنة"]

    func spokenDate(day: Int, month: Int, year: Int) -> String {
        if fr {
            return "\(day == 1 ? "premier" : String(day)) \(Self.frenchMonths[month - 1]) \(year)"
        }
        return "\(day) \(Self.arabicMonths[month - 1]) \(year)"
    }

    /// `09h00`, `9h`, `9h30`, `16:30`, and ranges of them (`8h–16h`, `09:00 - 16:30`).
    func time(at k: Int) -> (Int, String)? {
        guard let (first, end) = clock(at: k) else { return nil }
        var j = skipSpaces(end)
        var connector: Int?
        if j < c.count, Self.dashes.contains(c[j]) {
            connector = j + 1
        } else if fr, let e = literal("à", at: j), isSpace(e) {
            connector = e
        } else if !fr, let e = literal("إلى", at: j), isSpace(e) {
            connector = e
        }
        if let connector {
            j = skipSpaces(connector)
            if let (second, end2) = clock(at: j) {
                return (end2, range(first, second, at: k))
            }
        }
        return (end, first)
    }

    func clock(at k: Int) -> (String, Int)? {
        guard let (h, e1) = digits(at: k, max: 2), e1 < c.count else { return nil }
        let sep = c[e1]
        let hour = Int(h)!
        guard hour <= 24 else { return nil }
        if sep == "h" || sep == "H" {
            if let (m, e2) = digits(at: e1 + 1, max: 2), m.count == 2, atWordEnd(e2) {
                let minute = Int(m)!
                guard minute < 60 else { return nil }
                return (spokenTime(hour, minute), e2)
            }
            guard atWordEnd(e1 + 1) else { return nil }
            return (spokenTime(hour, 0), e1 + 1)
        }
        if sep == ":", let (m, e2) = digits(at: e1 + 1, max: 2), m.count == 2, !isDigit(e2) {
            let minute = Int(m)!
            guard minute < 60 else { return nil }
            // 16:30:00 — seconds are not spoken.
            var end = e2
            if end + 2 < c.count, c[end] == ":", let (_, e3) = digits(at: end + 1, max: 2), e3 == end + 3 { end = e3 }
            return (spokenTime(hour, minute), end)
        }
        return nil
    }

    func spokenTime(_ hour: Int, _ minute: Int) -> String {
        if fr {
            let h = hour == 1 ? "une heure" : "\(hour) heures"
            return minute == 0 ? h : "\(h) \(minute)"
        }
        let h = "الساعة \(hour)"
        return minute == 0 ? h : "\(h) و \(minute) دقيقة"
    }

    // MARK: - Phone numbers

    /// Moroccan numbers, read in pairs as people say them: `05 37 00 00 00`, `0537-000000`, `+212 5 37 00 00 00`.
    func phone(at k: Int) -> (Int, String)? {
        var j = k
        var national = ""
        if c[k] == "+" || (literal("00212", at: k) != nil) {
            let start = c[k] == "+" ? k + 1 : k + 2
            guard literal("212", at: start) != nil else { return nil }
            j = start + 3
            national = "0"
        }
        var digitsSeen = ""
        var end = j
        while true {
            let s = j
            if !digitsSeen.isEmpty || !national.isEmpty {
                // Between groups: one space, dot or hyphen (and "(0)" after +212 is ignored).
                if j < c.count, c[j] == " " || c[j] == "." || c[j] == "-" || c[j] == "\u{A0}" { j += 1 }
            }
            guard let (g, e) = digits(at: j) else {
                j = s
                break
            }
            digitsSeen += g
            j = e
            end = e
            if (national + digitsSeen).count >= 10 { break }
        }
        let number = national + digitsSeen
        guard number.count == 10, number.first == "0", let second = number.dropFirst().first, "5678".contains(second),
            atWordEnd(end), !isDigit(end)
        else { return nil }
        // A ten-digit run without separators is a phone number only when it starts like one (checked above).
        let pairs = stride(from: 0, to: 10, by: 2).map { n -> String in
            let pair = Array(Array(number)[n..<n + 2])
            if pair[0] == "0" {
                return pair[1] == "0" ? "\(zero) \(zero)" : "\(zero) \(pair[1])"
            }
            return String(pair)
        }
        return (end, pairs.joined(separator: fr ? ", " : "، "))
    }

    var zero: String { fr ? "zéro" : "صفر" }
}
