// The widget's words in the page's language (ar, fr, en; Amazigh pages: zgh), and the page's direction.
const TEXT = {
  fr: { listen: 'Écouter', pause: 'Pause', resume: 'Reprendre', stop: 'Arrêter', prevS: 'Phrase précédente',
    nextS: 'Phrase suivante', prevP: 'Passage précédent', nextP: 'Passage suivant', speed: 'Vitesse',
    download: 'Télécharger (MP3)', settings: 'Réglages', close: 'Fermer le lecteur', player: 'Lecteur Qari',
    progress: 'Progression de la lecture', playing: 'Lecture en cours', paused: 'En pause', stopped: 'Lecture arrêtée',
    loading: 'Préparation de la lecture…', ended: 'Lecture terminée', down: 'Le service de lecture ne répond pas.',
    busy: 'Le service de lecture est occupé.', retry: 'Réessayer', nothing: 'Rien à lire sur cette page.',
    changed: 'Le contenu de la page a changé : la lecture est arrêtée.', variety: 'Variété amazighe',
    contrast: 'Contraste', off: 'Normal', dark: 'Sombre', light: 'Clair', size: 'Taille du texte',
    keys: 'Raccourcis clavier', single: 'Raccourcis à une touche', selection: 'Lire la sélection', more: 'Plus…',
    follow: 'Suivre la lecture', view: 'Mode lecture', closeView: 'Fermer le mode lecture',
    mask: 'Masque de lecture', report: 'Signaler une prononciation', note: 'Remarque (facultative)',
    send: 'Envoyer', cancel: 'Annuler', reported: 'Merci : le signalement est envoyé.',
    reportFailed: "Le signalement n'a pas pu être envoyé.", noWord: 'Choisissez un mot : pendant la lecture, ou sélectionnez-le.',
    word: 'Mot signalé', fields: 'Lire les champs', point: 'Cliquer pour écouter',
    pointOn: 'Cliquer pour écouter : activé. Échap pour quitter.', pointOff: 'Cliquer pour écouter : désactivé.',
    link: 'Lien', button: 'Bouton', secret: "Mot de passe : il n'est jamais lu.", checked: 'Coché',
    unchecked: 'Non coché', empty: 'Vide', value: 'Dire la valeur du champ',
    zgh: 'Amazighe standard', shi: 'Tachelhit', tzm: 'Tamazight du Centre', rif: 'Tarifit' },
  ar: { listen: 'استمع', pause: 'إيقاف مؤقت', resume: 'استئناف', stop: 'إيقاف', prevS: 'الجملة السابقة',
    nextS: 'الجملة التالية', prevP: 'الفقرة السابقة', nextP: 'الفقرة التالية', speed: 'السرعة',
    download: 'تحميل (MP3)', settings: 'الإعدادات', close: 'إغلاق القارئ', player: 'قارئ الصفحة',
    progress: 'تقدم القراءة', playing: 'جارية القراءة', paused: 'القراءة متوقفة مؤقتا', stopped: 'توقفت القراءة',
    loading: 'جار تحضير القراءة…', ended: 'انتهت القراءة', down: 'خدمة القراءة لا تستجيب.',
    busy: 'خدمة القراءة مشغولة.', retry: 'أعد المحاولة', nothing: 'لا يوجد ما يقرأ في هذه الصفحة.',
    changed: 'تغير محتوى الصفحة: توقفت القراءة.', variety: 'الأمازيغية المقروءة', contrast: 'التباين',
    off: 'عادي', dark: 'داكن', light: 'فاتح', size: 'حجم النص', keys: 'اختصارات لوحة المفاتيح',
    single: 'اختصارات بمفتاح واحد', selection: 'اقرأ النص المحدد', more: 'المزيد…', follow: 'تتبع القراءة',
    view: 'وضع القراءة', closeView: 'إغلاق وضع القراءة', mask: 'قناع القراءة', report: 'الإبلاغ عن نطق خاطئ',
    note: 'ملاحظة (اختيارية)', send: 'إرسال', cancel: 'إلغاء', reported: 'شكرا: تم إرسال البلاغ.',
    reportFailed: 'تعذر إرسال البلاغ.', noWord: 'اختر كلمة: أثناء القراءة، أو حددها.', word: 'الكلمة المبلغ عنها',
    fields: 'قراءة الحقول', point: 'انقر للاستماع', pointOn: 'انقر للاستماع: مفعل. اضغط Escape للخروج.',
    pointOff: 'انقر للاستماع: غير مفعل.', link: 'رابط', button: 'زر', secret: 'كلمة المرور: لا تقرأ أبدا.',
    checked: 'محدد', unchecked: 'غير محدد', empty: 'فارغ', value: 'قراءة قيمة الحقل',
    zgh: 'الأمازيغية المعيارية', shi: 'تشلحيت', tzm: 'أمازيغية الأطلس المتوسط', rif: 'تريفيت' },
  en: { listen: 'Listen', pause: 'Pause', resume: 'Resume', stop: 'Stop', prevS: 'Previous sentence',
    nextS: 'Next sentence', prevP: 'Previous passage', nextP: 'Next passage', speed: 'Speed',
    download: 'Download (MP3)', settings: 'Settings', close: 'Close the player', player: 'Qari player',
    progress: 'Reading progress', playing: 'Playing', paused: 'Paused', stopped: 'Stopped', loading: 'Preparing…',
    ended: 'Finished', down: 'The reading service does not answer.', busy: 'The reading service is busy.',
    retry: 'Try again', nothing: 'Nothing to read on this page.', changed: 'The page changed: reading stopped.',
    variety: 'Amazigh variety', contrast: 'Contrast', off: 'Normal', dark: 'Dark', light: 'Light',
    size: 'Text size', keys: 'Keyboard shortcuts', single: 'Single-key shortcuts',
    selection: 'Read the selection', more: 'More…', follow: 'Follow the reading', view: 'Reader view',
    closeView: 'Close the reader view', mask: 'Reading mask', report: 'Report a pronunciation',
    note: 'Note (optional)', send: 'Send', cancel: 'Cancel', reported: 'Thank you: the report was sent.',
    reportFailed: 'The report could not be sent.', noWord: 'Pick a word: while it is read, or select it.',
    word: 'Reported word', fields: 'Read the fields', point: 'Click to listen',
    pointOn: 'Click to listen: on. Escape to leave.', pointOff: 'Click to listen: off.', link: 'Link',
    button: 'Button', secret: 'Password: never read.', checked: 'Checked', unchecked: 'Not checked', empty: 'Empty', value: 'Say the field’s value',
    zgh: 'Standard Amazigh', shi: 'Tachelhit', tzm: 'Central Atlas', rif: 'Tarifit' }
};
// On Amazigh pages the button says Listen in Tifinagh and names the varieties in Tifinagh; the other controls
// speak French (tagged so), until an Amazigh linguist gives their words.
TEXT.zgh = Object.assign({}, TEXT.fr, { listen: 'ⵙⴼⵍⴷ', zgh: 'ⵜⴰⵎⴰⵣⵉⵖⵜ ⵜⴰⵏⴰⵡⴰⵢⵜ', shi: 'ⵜⴰⵛⵍⵃⵉⵜ',
  tzm: 'ⵜⴰⵎⴰⵣⵉⵖⵜ ⵏ ⵡⴰⵟⵍⴰⵚ', rif: 'ⵜⴰⵔⵉⴼⵉⵜ' });

export const pageLang = (document.documentElement.lang || 'fr').toLowerCase().split(/[-_]/)[0];
export const uiLang = pageLang === 'ar' ? 'ar' : ['zgh', 'ber', 'shi', 'tzm', 'rif'].indexOf(pageLang) >= 0 ? 'zgh' :
  pageLang === 'en' ? 'en' : 'fr';
export const t = TEXT[uiLang];
export const rtl = uiLang === 'ar' || (document.documentElement.dir || '').toLowerCase() === 'rtl';
