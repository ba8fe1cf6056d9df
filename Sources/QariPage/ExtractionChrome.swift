import QariText

/// Passages that are page furniture by their text alone, whatever their markup: the page's own address printed
/// above the article, a share bar, a byline's date stamp, a "skip to content" link. Before the first passage of the
/// page's own text they are not read, so a reading never opens on them; later, amid the text, they are kept.
extension Extraction {
    /// `passages` from the first one that is not furniture on (all of them if every one is).
    static func withoutLeadingChrome(_ passages: [Passage]) -> [Passage] {
        guard let first = passages.firstIndex(where: { !isChrome($0.text) }) else { return passages }
        return Array(passages[first...])
    }

    /// Whether a passage's text is furniture: only an address, a share bar, a date stamp or a skip link.
    static func isChrome(_ text: String) -> Bool {
        if Address.isWholeWebAddress(text) { return true }
        let lower = text.lowercased()
        let words = lower.split { !($0.isLetter || $0.isNumber) }.map(String.init)
        guard !words.isEmpty, words.count <= 14 else { return false }
        if words.count <= 7, skipLinkStarts.contains(where: { lower.hasPrefix($0) }) { return true }
        if words.count >= 2, words.allSatisfy({ shareWords.contains($0) }),
            words.contains(where: { socialNetworks.contains($0) })
        {
            return true
        }
        return isDateStamp(words)
    }

    /// A byline's date stamp: a date (figures, or a day and a month's name), with at most a name (three words)
    /// besides the byline's own words ("Publié le", "Mis à jour", "بتاريخ") and the time.
    static func isDateStamp(_ words: [String]) -> Bool {
        let numbers = words.filter { $0.allSatisfy(\.isNumber) }
        let months = words.filter { monthNames.contains($0) }
        let hasDate = numbers.count >= 3 || (!months.isEmpty && !numbers.isEmpty)
        guard hasDate else { return false }
        let rest = words.filter {
            !$0.allSatisfy(\.isNumber) && !monthNames.contains($0) && !bylineWords.contains($0)
        }
        return rest.count <= 3
    }

    /// How "skip to content" links begin, in the portal's languages and in English.
    static let skipLinkStarts = [
        "skip to", "skip navigation", "jump to", "aller au contenu", "aller à la navigation", "aller au menu",
        "aller directement", "passer au contenu", "passer à la navigation", "accéder au contenu",
        "accéder directement", "contenu principal", "الانتقال إلى", "انتقل إلى", "تخطي إلى", "الذهاب إلى المحتوى",
        "المرور إلى المحتوى",
    ]
    static let socialNetworks: Set<String> = [
        "facebook", "twitter", "x", "linkedin", "whatsapp", "telegram", "pinterest", "messenger", "instagram",
        "youtube", "tiktok", "فيسبوك", "تويتر", "واتساب", "لينكدإن", "تيليغرام",
    ]
    /// The words of a share bar: the networks, and what bars say around them.
    static let shareWords: Set<String> = socialNetworks.union([
        "partager", "partagez", "partage", "share", "tweet", "tweeter", "email", "e", "mail", "courriel", "imprimer",
        "print", "copier", "copy", "le", "lien", "link", "sur", "on", "cet", "article", "this", "via", "envoyer",
        "send", "شارك", "شاركوا", "مشاركة", "طباعة", "البريد", "الإلكتروني", "عبر", "نسخ", "الرابط", "المقال",
    ])
    static let monthNames: Set<String> = [
        "janvier", "février", "fevrier", "mars", "avril", "mai", "juin", "juillet", "août", "aout", "septembre",
        "octobre", "novembre", "décembre", "decembre", "january", "february", "march", "april", "may", "june",
        "july", "august", "september", "october", "november", "december", "يناير", "فبراير", "مارس", "أبريل",
        "ماي", "يونيو", "يوليوز", "غشت", "شتنبر", "أكتوبر", "نونبر", "دجنبر", "ماي", "يوليو", "أغسطس", "سبتمبر",
        "نوفمبر", "ديسمبر",
    ]
    /// Words of a byline around its date and time.
    static let bylineWords: Set<String> = [
        "publié", "publiée", "publie", "le", "la", "mis", "à", "a", "jour", "modifié", "modifie", "par", "il", "y",
        "h", "min", "mn", "heure", "heures", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
        "posted", "published", "on", "by", "updated", "at", "am", "pm", "gmt", "نشر", "نشرت", "في", "بتاريخ",
        "آخر", "تحديث", "تم", "النشر", "منذ", "الساعة", "على", "الاثنين", "الثلاثاء", "الأربعاء", "الخميس",
        "الجمعة", "السبت", "الأحد", "يوم", "rédaction", "redaction",
    ]
}
