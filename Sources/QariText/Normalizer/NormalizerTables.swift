/// The normaliser's word tables: dashes, month names and abbreviations.
extension NormalizerScanner {
    static let dashes: Set<Unicode.Scalar> = ["-", "–", "—", "\u{2011}"]

    static let frenchMonths = [
        "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre",
        "décembre",
    ]
    /// The month names used in Morocco.
    static let arabicMonths = [
        "يناير", "فبراير", "مارس", "أبريل", "ماي", "يونيو", "يوليوز", "غشت", "شتنبر", "أكتوبر", "نونبر", "دجنبر",
    ]

    /// (written, spoken, case-sensitive); longer forms first.
    static let frenchAbbreviations: [(String, String, Bool)] = [
        ("N°", "numéro", false), ("Nº", "numéro", false), ("No.", "numéro", true),
        ("art.", "article", false), ("Tél.", "téléphone", false), ("Tél", "téléphone", true),
        ("Tel.", "téléphone", false), ("Fax.", "fax", false),
        ("CNIE", "C N I E", true), ("CIN", "C I N", true), ("RC", "R C", true), ("ICE", "I C E", true),
        ("TVA", "T V A", true), ("IR", "I R", true), ("IS", "I S", true), ("CNSS", "C N S S", true),
        ("Mmes", "mesdames", true), ("Mme", "madame", true), ("Mlles", "mesdemoiselles", true),
        ("Mlle", "mademoiselle", true), ("Mgr", "monseigneur", true), ("Dres", "docteures", true),
        ("Drs", "docteurs", true), ("Dre", "docteure", true), ("Dr", "docteur", true), ("Pr", "professeur", true),
        ("av.", "avenue", false), ("Bd", "boulevard", true),
        ("bd", "boulevard", true), ("DH", "dirhams", true), ("dhs", "dirhams", true), ("MAD", "dirhams", true),
    ]
    static let arabicAbbreviations: [(String, String, Bool)] = [
        ("ق.ل.ع", "قانون الالتزامات والعقود", true), ("ق.ج", "القانون الجنائي", true),
        ("م.ج", "المسطرة الجنائية", true), ("ق.م.م", "قانون المسطرة المدنية", true),
        ("ج.ر", "الجريدة الرسمية", true), ("ص.ب", "صندوق البريد", true), ("د.م.", "درهم", true),
        ("د.م", "درهم", true),
        ("N°", "رقم", false), ("Nº", "رقم", false),
        ("CNIE", "البطاقة الوطنية للتعريف الإلكترونية", true), ("CIN", "البطاقة الوطنية للتعريف", true),
        ("RC", "السجل التجاري", true), ("ICE", "التعريف الموحد للمقاولة", true),
        ("TVA", "الضريبة على القيمة المضافة", true), ("CNSS", "الصندوق الوطني للضمان الاجتماعي", true),
        ("DH", "درهم", true), ("MAD", "درهم", true),
    ]
}
