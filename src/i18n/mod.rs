//! The interface's languages: words, dates, amounts and country names in English, Russian and
//! German, picked by the portal's `LANG`. Anything else falls back to English.

mod app_page;

pub use app_page::AppPageTexts;

/// A word's forms after a count, by the count's plural category for integers (CLDR): `one`,
/// `few` (Russian 2–4, 22–24…), `many` (the rest; English and German have only `one` and
/// `other`, which is `many` here).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Forms {
    pub one: &'static str,
    pub few: &'static str,
    pub many: &'static str,
}

impl Forms {
    /// A word that does not change with the count.
    pub const fn same(word: &'static str) -> Forms {
        Forms { one: word, few: word, many: word }
    }

    /// The form for `n` in `lang`.
    pub fn of(&self, lang: Lang, n: usize) -> &'static str {
        let (last, last_two) = (n % 10, n % 100);
        match lang {
            Lang::Ru if last == 1 && last_two != 11 => self.one,
            Lang::Ru if (2..=4).contains(&last) && !(12..=14).contains(&last_two) => self.few,
            Lang::Ru => self.many,
            Lang::En | Lang::De if n == 1 => self.one,
            Lang::En | Lang::De => self.many,
        }
    }
}

/// A supported interface language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    En,
    Ru,
    De,
}

impl Lang {
    /// `ru`, `ru-RU`, `DE`… → the language; unknown codes → English.
    pub fn from_code(code: &str) -> Lang {
        let primary = code.split(['-', '_']).next().unwrap_or_default().to_ascii_lowercase();
        match primary.as_str() {
            "ru" | "ua" | "kz" | "by" => Lang::Ru,
            "de" => Lang::De,
            _ => Lang::En,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ru => "ru",
            Lang::De => "de",
        }
    }

    pub fn texts(self) -> &'static Texts {
        match self {
            Lang::En => &EN,
            Lang::Ru => &RU,
            Lang::De => &DE,
        }
    }
}

/// Every fixed string of the interface.
#[derive(Debug)]
pub struct Texts {
    pub loading: &'static str,
    pub loading_record: &'static str,
    pub incoming: &'static str,
    pub outgoing: &'static str,
    pub callback: &'static str,
    pub call: &'static str,
    pub call_list: &'static str,
    pub contact: &'static str,
    pub company: &'static str,
    pub lead: &'static str,
    pub deal: &'static str,
    pub unnamed: &'static str,
    pub unknown_caller: &'static str,
    pub unknown_caller_hint: &'static str,
    pub hidden_number: &'static str,
    pub hidden_number_hint: &'static str,
    pub calling_from: &'static str,
    /// Before the caller's local time: "Their time: Wed 14:05".
    pub their_time: &'static str,
    pub several_matches: &'static str,
    pub several_matches_hint: &'static str,
    pub number_matched: &'static str,
    pub responsible: &'static str,
    /// A company's contacts.
    pub people: &'static str,
    pub no_people: &'static str,
    /// Opens the company for all its people: `{n}` is their number.
    pub all_people: &'static str,
    pub open_deals: &'static str,
    pub no_open_deals: &'static str,
    /// "n won" and "n lost" (deals), by the count's plural form.
    pub won: Forms,
    pub lost: Forms,
    pub bound_deal: &'static str,
    pub activity: &'static str,
    pub no_activity: &'static str,
    pub overdue: &'static str,
    /// Before an open activity's deadline: "Due Nov 27, 9:30".
    pub due: &'static str,
    /// Before a completed activity's time: "Done Oct 9, 10:21".
    pub done: &'static str,
    /// After a call's length in minutes: "6 min".
    pub minutes: &'static str,
    /// After a short call's length in seconds: "45 s".
    pub seconds: &'static str,
    /// The call history's title, its empty state, and the marks of calls nobody answered.
    pub call_history: &'static str,
    pub no_calls: &'static str,
    pub call_missed: &'static str,
    pub call_unanswered: &'static str,
    /// "Probably about" (`crm::about`): the list's name, then one sentence per rule, with
    /// placeholders so that each language orders its words.
    pub about_label: &'static str,
    pub about_missed: &'static str,
    pub about_overdue: &'static str,
    pub about_waiting: &'static str,
    pub about_days: Forms,
    pub about_last_talk: &'static str,
    /// Before a comment's author: "by Claire Dubois".
    pub written_by: &'static str,
    pub comments: &'static str,
    pub no_comments: &'static str,
    pub section_failed: &'static str,
    pub retry: &'static str,
    pub back_to_matches: &'static str,
    pub not_supported_title: &'static str,
    pub not_supported_body: &'static str,
    pub channel_work: &'static str,
    pub channel_mobile: &'static str,
    pub channel_home: &'static str,
    pub channel_fax: &'static str,
    pub channel_other: &'static str,
    pub act_call_in: &'static str,
    pub act_call_out: &'static str,
    pub act_email: &'static str,
    pub act_meeting: &'static str,
    pub act_task: &'static str,
    pub act_other: &'static str,
    pub problem_launch: &'static str,
    pub problem_launch_advice: &'static str,
    pub problem_auth: &'static str,
    pub problem_auth_advice: &'static str,
    pub problem_forbidden: &'static str,
    pub problem_forbidden_advice: &'static str,
    pub problem_limit: &'static str,
    pub problem_limit_advice: &'static str,
    pub problem_time_limit: &'static str,
    pub problem_time_limit_advice: &'static str,
    pub problem_unavailable: &'static str,
    pub problem_unavailable_advice: &'static str,
    pub problem_rejected: &'static str,
    pub problem_rejected_advice: &'static str,
    pub problem_unreadable: &'static str,
    pub problem_failed: &'static str,
    pub problem_failed_advice: &'static str,
    /// `{scope}` is the scope's name.
    pub problem_scope: &'static str,
    pub problem_scope_advice: &'static str,
    pub problem_admin_only: &'static str,
    pub problem_admin_only_advice: &'static str,
    /// The summary of the folded technical cause.
    pub technical_details: &'static str,
    pub details: &'static str,
    pub comment_placeholder: &'static str,
    pub comment_save: &'static str,
    /// The comment box's accessible name.
    pub comment_label: &'static str,
    /// Linking an unknown caller to an existing record.
    pub link_existing: &'static str,
    pub link_hint: &'static str,
    pub link_search_label: &'static str,
    pub link_search: &'static str,
    pub link_searching: &'static str,
    pub link_none: &'static str,
    /// `{number}` and `{name}`.
    pub link_question: &'static str,
    pub link_add: &'static str,
    pub link_open_only: &'static str,
    pub link_failed: &'static str,
    pub number_added: &'static str,
    pub comment_saving: &'static str,
    pub comment_failed: &'static str,
    pub comment_on: &'static str,
    pub state_connecting: &'static str,
    pub state_connected: &'static str,
    pub state_idle: &'static str,
    pub retrying: &'static str,
    pub new_contact: &'static str,
    pub new_lead: &'static str,
    pub first_name: &'static str,
    pub last_name: &'static str,
    pub company_name: &'static str,
    pub email: &'static str,
    pub phone: &'static str,
    pub create: &'static str,
    pub creating: &'static str,
    pub cancel: &'static str,
    pub name_missing: &'static str,
    pub email_invalid: &'static str,
    pub phone_invalid: &'static str,
    pub create_failed: &'static str,
    pub contact_created: &'static str,
    /// The next step: a new deal for the client, its title field, its button while saving, its
    /// confirmation and its failure.
    pub new_deal: &'static str,
    pub new_deal_title: &'static str,
    pub new_deal_create: &'static str,
    pub new_deal_creating: &'static str,
    pub deal_created: &'static str,
    pub deal_not_created: &'static str,
    /// The next step: a follow-up call, its time and subject fields (the subject prefilled), its
    /// button while saving, its confirmation and its failure.
    pub follow_up: &'static str,
    pub follow_up_time: &'static str,
    pub follow_up_subject: &'static str,
    pub follow_up_default_subject: &'static str,
    pub follow_up_create: &'static str,
    pub follow_up_done: &'static str,
    pub follow_up_failed: &'static str,
    pub follow_up_time_missing: &'static str,
    pub lead_created: &'static str,
}

pub static EN: Texts = Texts {
    loading: "Looking up the caller…",
    loading_record: "Loading the record…",
    incoming: "Incoming call",
    outgoing: "Outgoing call",
    callback: "Callback",
    call: "Call",
    call_list: "Call list",
    contact: "Contact",
    company: "Company",
    lead: "Lead",
    deal: "Deal",
    unnamed: "(no name)",
    unknown_caller: "Unknown caller",
    unknown_caller_hint: "This number is in no contact, company or lead.",
    hidden_number: "Hidden number",
    hidden_number_hint: "The caller's number was not transmitted.",
    calling_from: "Calling from",
    their_time: "Their time",
    several_matches: "Several records have this number",
    several_matches_hint: "Pick the one you are talking to.",
    number_matched: "matched",
    responsible: "Responsible",
    people: "People",
    no_people: "No people recorded for this company.",
    all_people: "All {n}",
    open_deals: "Open deals",
    no_open_deals: "No open deals.",
    won: Forms::same("won"),
    lost: Forms::same("lost"),
    bound_deal: "this call",
    activity: "Recent activity",
    no_activity: "No activity yet.",
    overdue: "overdue",
    due: "Due",
    done: "Done",
    minutes: "min",
    seconds: "s",
    call_history: "Calls",
    no_calls: "No calls with them yet.",
    call_missed: "missed",
    call_unanswered: "no answer",
    about_label: "Probably about",
    about_missed: "They called {when} and nobody answered",
    about_overdue: "Overdue since {date}: {subject}",
    about_waiting: "{title} — {stage}, {days} at this stage",
    about_days: Forms { one: "day", few: "days", many: "days" },
    about_last_talk: "Last spoke {when}: {direction}, {length}",
    written_by: "by",
    comments: "Comments",
    no_comments: "No comments yet.",
    section_failed: "Could not load this part",
    retry: "Try again",
    back_to_matches: "Other matches",
    not_supported_title: "Not available here",
    not_supported_body: "This widget works in the call card (CALL_CARD). It was opened in a placement it does not serve:",
    channel_work: "work",
    channel_mobile: "mobile",
    channel_home: "home",
    channel_fax: "fax",
    channel_other: "other",
    act_call_in: "Incoming call",
    act_call_out: "Outgoing call",
    act_email: "E-mail",
    act_meeting: "Meeting",
    act_task: "Task",
    act_other: "Activity",
    problem_launch: "The widget cannot start",
    problem_launch_advice: "Close the tab and open it again from the call card. If it keeps happening, tell your Bitrix24 administrator and show them the technical details below.",
    problem_auth: "The portal did not accept the widget's access",
    problem_auth_advice: "Reopen the call card to sign in again.",
    problem_forbidden: "The widget is not allowed to read the CRM",
    problem_forbidden_advice: "Your Bitrix24 administrator can give the app, or you, the permission this needs.",
    problem_limit: "The portal is busy",
    problem_limit_advice: "Too many requests at once; try again in a few seconds.",
    problem_time_limit: "The portal paused this app for a while",
    problem_time_limit_advice: "Bitrix24 limits how long an app may keep it busy in ten minutes, and this card reached it. It works again within ten minutes; the call itself is not affected.",
    problem_unavailable: "The portal cannot be reached",
    problem_unavailable_advice: "Check the connection and try again; if it keeps happening, the portal may be down for a moment.",
    problem_rejected: "The portal refused the request",
    problem_rejected_advice: "Try again; if it keeps happening, tell your Bitrix24 administrator.",
    problem_unreadable: "The portal's answer could not be read",
    technical_details: "Technical details",
    problem_admin_only_advice: "Ask your Bitrix24 administrator: only they can see and change where the app's tab is bound.",
    problem_admin_only: "Only administrators can do this",
    problem_scope_advice: "Your Bitrix24 administrator has to grant the app the “{scope}” permission in its settings.",
    problem_scope: "The app lacks a permission",
    problem_failed_advice: "It answered with an error. Trying again may help; if it keeps failing, tell your Bitrix24 administrator.",
    problem_failed: "The portal could not complete the request",
    details: "Details",
    comment_placeholder: "Leave a comment… (Ctrl+Enter saves)",
    comment_save: "Save comment",
    comment_label: "Comment on the client",
    link_existing: "Find an existing client",
    link_hint: "Already in the CRM under another number? Link this call instead of creating a duplicate.",
    link_search_label: "Name, company or another number",
    link_search: "Search",
    link_searching: "Searching…",
    link_none: "Nothing found.",
    link_question: "Add {number} to the phones of {name}?",
    link_add: "Add the number and open the card",
    link_open_only: "Open the card without it",
    link_failed: "The number was not added; nothing changed.",
    number_added: "Number added.",
    comment_saving: "Saving…",
    comment_failed: "The comment was not saved; your text is kept.",
    comment_on: "Comment on",
    state_connecting: "Ringing…",
    state_connected: "Connected",
    state_idle: "Call ended",
    retrying: "The portal is busy — retrying…",
    new_contact: "New contact",
    new_lead: "New lead",
    first_name: "First name",
    last_name: "Last name",
    company_name: "Company",
    email: "E-mail",
    phone: "Phone",
    create: "Create",
    creating: "Creating…",
    cancel: "Cancel",
    name_missing: "Enter a first or last name.",
    email_invalid: "This is not an e-mail address.",
    phone_invalid: "Enter a phone number.",
    create_failed: "The record was not created; your entries are kept.",
    contact_created: "Contact created.",
    new_deal: "New deal",
    new_deal_title: "Deal title",
    new_deal_create: "Create the deal",
    new_deal_creating: "Creating…",
    deal_created: "Deal created.",
    deal_not_created: "The deal was not created; the title is kept.",
    follow_up: "Follow-up call",
    follow_up_time: "When",
    follow_up_subject: "About",
    follow_up_default_subject: "Call back",
    follow_up_create: "Schedule the call",
    follow_up_done: "Follow-up call scheduled.",
    follow_up_failed: "The call was not scheduled; what you entered is kept.",
    follow_up_time_missing: "Choose a day and time.",
    lead_created: "Lead created.",
};

pub static RU: Texts = Texts {
    loading: "Ищем звонящего…",
    loading_record: "Загружаем запись…",
    incoming: "Входящий звонок",
    outgoing: "Исходящий звонок",
    callback: "Обратный звонок",
    call: "Звонок",
    call_list: "Обзвон",
    contact: "Контакт",
    company: "Компания",
    lead: "Лид",
    deal: "Сделка",
    unnamed: "(без имени)",
    unknown_caller: "Неизвестный номер",
    unknown_caller_hint: "Этого номера нет ни в контактах, ни в компаниях, ни в лидах.",
    hidden_number: "Скрытый номер",
    hidden_number_hint: "Номер звонящего не передан.",
    calling_from: "Звонок из страны",
    their_time: "У них сейчас",
    several_matches: "Номер есть в нескольких записях",
    several_matches_hint: "Выберите, с кем вы говорите.",
    number_matched: "совпал",
    responsible: "Ответственный",
    people: "Сотрудники",
    no_people: "У компании нет контактов.",
    all_people: "Все {n}",
    open_deals: "Открытые сделки",
    no_open_deals: "Открытых сделок нет.",
    // Of "сделка": 1 успешная, 2 успешные, 5 успешных.
    won: Forms { one: "успешная", few: "успешные", many: "успешных" },
    lost: Forms { one: "проваленная", few: "проваленные", many: "проваленных" },
    bound_deal: "этот звонок",
    activity: "Последние дела",
    no_activity: "Дел пока нет.",
    overdue: "просрочено",
    due: "Срок",
    done: "Выполнено",
    minutes: "мин",
    seconds: "с",
    call_history: "Звонки",
    no_calls: "Звонков с клиентом ещё не было.",
    call_missed: "пропущен",
    call_unanswered: "не ответили",
    about_label: "Вероятно, по поводу",
    about_missed: "Клиент звонил {when}, никто не ответил",
    about_overdue: "Просрочено с {date}: {subject}",
    about_waiting: "{title} — {stage}, {days} на этой стадии",
    about_days: Forms { one: "день", few: "дня", many: "дней" },
    about_last_talk: "Последний разговор {when}: {direction}, {length}",
    written_by: "автор:",
    comments: "Комментарии",
    no_comments: "Комментариев пока нет.",
    section_failed: "Не удалось загрузить этот раздел",
    retry: "Повторить",
    back_to_matches: "Другие совпадения",
    not_supported_title: "Здесь недоступно",
    not_supported_body: "Виджет работает в карточке звонка (CALL_CARD). Он открыт в месте, которое не поддерживает:",
    channel_work: "рабочий",
    channel_mobile: "мобильный",
    channel_home: "домашний",
    channel_fax: "факс",
    channel_other: "другой",
    act_call_in: "Входящий звонок",
    act_call_out: "Исходящий звонок",
    act_email: "Письмо",
    act_meeting: "Встреча",
    act_task: "Задача",
    act_other: "Дело",
    problem_launch: "Виджет не может запуститься",
    problem_launch_advice: "Закройте вкладку и откройте её снова из карточки звонка. Если повторится, сообщите администратору Битрикс24 и покажите технические подробности ниже.",
    problem_auth: "Портал не принял доступ виджета",
    problem_auth_advice: "Откройте карточку звонка заново, чтобы войти снова.",
    problem_forbidden: "Виджету нельзя читать CRM",
    problem_forbidden_advice: "Администратор Битрикс24 может выдать приложению или вам нужное право.",
    problem_limit: "Портал перегружен",
    problem_limit_advice: "Слишком много запросов сразу; повторите через несколько секунд.",
    problem_time_limit: "Портал приостановил приложение на время",
    problem_time_limit_advice: "Битрикс24 ограничивает, сколько времени приложение может занимать его за десять минут, и карточка исчерпала лимит. Она снова заработает в течение десяти минут; на сам звонок это не влияет.",
    problem_unavailable: "Портал недоступен",
    problem_unavailable_advice: "Проверьте соединение и повторите; если повторяется, портал может быть ненадолго недоступен.",
    problem_rejected: "Портал отклонил запрос",
    problem_rejected_advice: "Повторите; если не поможет, сообщите администратору Битрикс24.",
    problem_unreadable: "Ответ портала не удалось прочитать",
    technical_details: "Технические подробности",
    problem_admin_only_advice: "Обратитесь к администратору Битрикс24: только он видит и меняет, где встроена вкладка приложения.",
    problem_admin_only: "Это доступно только администраторам",
    problem_scope_advice: "Администратор Битрикс24 должен выдать приложению право «{scope}» в его настройках.",
    problem_scope: "У приложения нет нужного права",
    problem_failed_advice: "Портал ответил ошибкой. Повторите попытку; если ошибка не исчезает, сообщите администратору Битрикс24.",
    problem_failed: "Портал не смог выполнить запрос",
    details: "Подробности",
    comment_placeholder: "Комментарий… (Ctrl+Enter — сохранить)",
    comment_save: "Сохранить",
    comment_label: "Комментарий о клиенте",
    link_existing: "Найти клиента в CRM",
    link_hint: "Клиент уже есть в CRM под другим номером? Привяжите звонок к нему вместо создания дубля.",
    link_search_label: "Имя, компания или другой номер",
    link_search: "Найти",
    link_searching: "Поиск…",
    link_none: "Ничего не найдено.",
    link_question: "Добавить {number} в телефоны: {name}?",
    link_add: "Добавить номер и открыть карточку",
    link_open_only: "Открыть карточку без номера",
    link_failed: "Номер не добавлен; ничего не изменилось.",
    number_added: "Номер добавлен.",
    comment_saving: "Сохраняем…",
    comment_failed: "Комментарий не сохранён; текст сохранён в поле.",
    comment_on: "Комментарий к",
    state_connecting: "Вызов…",
    state_connected: "Разговор",
    state_idle: "Звонок завершён",
    retrying: "Портал перегружен — повторяем…",
    new_contact: "Новый контакт",
    new_lead: "Новый лид",
    first_name: "Имя",
    last_name: "Фамилия",
    company_name: "Компания",
    email: "E-mail",
    phone: "Телефон",
    create: "Создать",
    creating: "Создаём…",
    cancel: "Отмена",
    name_missing: "Укажите имя или фамилию.",
    email_invalid: "Это не адрес e-mail.",
    phone_invalid: "Укажите номер телефона.",
    create_failed: "Запись не создана; введённые данные сохранены.",
    contact_created: "Контакт создан.",
    new_deal: "Новая сделка",
    new_deal_title: "Название сделки",
    new_deal_create: "Создать сделку",
    new_deal_creating: "Создаём…",
    deal_created: "Сделка создана.",
    deal_not_created: "Сделка не создана; название сохранено.",
    follow_up: "Перезвонить",
    follow_up_time: "Когда",
    follow_up_subject: "Тема",
    follow_up_default_subject: "Перезвонить клиенту",
    follow_up_create: "Запланировать звонок",
    follow_up_done: "Звонок запланирован.",
    follow_up_failed: "Звонок не запланирован; введённое сохранено.",
    follow_up_time_missing: "Выберите день и время.",
    lead_created: "Лид создан.",
};

pub static DE: Texts = Texts {
    loading: "Anrufer wird gesucht…",
    loading_record: "Datensatz wird geladen…",
    incoming: "Eingehender Anruf",
    outgoing: "Ausgehender Anruf",
    callback: "Rückruf",
    call: "Anruf",
    call_list: "Anrufliste",
    contact: "Kontakt",
    company: "Unternehmen",
    lead: "Lead",
    deal: "Auftrag",
    unnamed: "(ohne Namen)",
    unknown_caller: "Unbekannter Anrufer",
    unknown_caller_hint: "Diese Nummer gehört zu keinem Kontakt, Unternehmen oder Lead.",
    hidden_number: "Unterdrückte Nummer",
    hidden_number_hint: "Die Nummer des Anrufers wurde nicht übermittelt.",
    calling_from: "Anruf aus",
    their_time: "Ortszeit",
    several_matches: "Mehrere Einträge haben diese Nummer",
    several_matches_hint: "Wählen Sie, mit wem Sie sprechen.",
    number_matched: "erkannt",
    responsible: "Verantwortlich",
    people: "Ansprechpartner",
    no_people: "Für diese Firma sind keine Ansprechpartner erfasst.",
    all_people: "Alle {n}",
    open_deals: "Offene Aufträge",
    no_open_deals: "Keine offenen Aufträge.",
    won: Forms::same("gewonnen"),
    lost: Forms::same("verloren"),
    bound_deal: "dieser Anruf",
    activity: "Letzte Aktivitäten",
    no_activity: "Noch keine Aktivitäten.",
    overdue: "überfällig",
    due: "Fällig",
    done: "Erledigt",
    minutes: "Min.",
    seconds: "Sek.",
    call_history: "Anrufe",
    no_calls: "Noch keine Anrufe mit diesem Kunden.",
    call_missed: "verpasst",
    call_unanswered: "nicht angenommen",
    about_label: "Vermutlich wegen",
    about_missed: "Der Kunde hat {when} angerufen, niemand hat abgenommen",
    about_overdue: "Überfällig seit {date}: {subject}",
    about_waiting: "{title} — {stage}, seit {days} in dieser Phase",
    about_days: Forms { one: "Tag", few: "Tagen", many: "Tagen" },
    about_last_talk: "Zuletzt gesprochen {when}: {direction}, {length}",
    written_by: "von",
    comments: "Kommentare",
    no_comments: "Noch keine Kommentare.",
    section_failed: "Dieser Teil konnte nicht geladen werden",
    retry: "Erneut versuchen",
    back_to_matches: "Andere Treffer",
    not_supported_title: "Hier nicht verfügbar",
    not_supported_body: "Dieses Widget arbeitet in der Anrufkarte (CALL_CARD). Es wurde an einer Stelle geöffnet, die es nicht unterstützt:",
    channel_work: "geschäftlich",
    channel_mobile: "mobil",
    channel_home: "privat",
    channel_fax: "Fax",
    channel_other: "andere",
    act_call_in: "Eingehender Anruf",
    act_call_out: "Ausgehender Anruf",
    act_email: "E-Mail",
    act_meeting: "Termin",
    act_task: "Aufgabe",
    act_other: "Aktivität",
    problem_launch: "Das Widget kann nicht starten",
    problem_launch_advice: "Schließen Sie den Tab und öffnen Sie ihn erneut aus der Anrufkarte. Wenn es wieder passiert, wenden Sie sich an Ihren Bitrix24-Administrator und zeigen Sie ihm die technischen Details unten.",
    problem_auth: "Das Portal hat den Zugriff des Widgets nicht angenommen",
    problem_auth_advice: "Öffnen Sie die Anrufkarte erneut, um sich neu anzumelden.",
    problem_forbidden: "Das Widget darf das CRM nicht lesen",
    problem_forbidden_advice: "Ihr Bitrix24-Administrator kann der App oder Ihnen die nötige Berechtigung geben.",
    problem_limit: "Das Portal ist ausgelastet",
    problem_limit_advice: "Zu viele Anfragen auf einmal; bitte in ein paar Sekunden erneut versuchen.",
    problem_time_limit: "Das Portal hat diese App vorübergehend angehalten",
    problem_time_limit_advice: "Bitrix24 begrenzt, wie lange eine App es in zehn Minuten beschäftigen darf, und diese Karte hat die Grenze erreicht. Innerhalb von zehn Minuten funktioniert sie wieder; der Anruf selbst ist nicht betroffen.",
    problem_unavailable: "Das Portal ist nicht erreichbar",
    problem_unavailable_advice: "Prüfen Sie die Verbindung und versuchen Sie es erneut; wenn es wieder passiert, ist das Portal vielleicht kurz nicht erreichbar.",
    problem_rejected: "Das Portal hat die Anfrage abgelehnt",
    problem_rejected_advice: "Versuchen Sie es erneut; wenn es wieder passiert, wenden Sie sich an Ihren Bitrix24-Administrator.",
    problem_unreadable: "Die Antwort des Portals war nicht lesbar",
    technical_details: "Technische Details",
    problem_admin_only_advice: "Fragen Sie Ihren Bitrix24-Administrator: Nur er sieht und ändert, wo der Tab der App eingebunden ist.",
    problem_admin_only: "Das können nur Administratoren",
    problem_scope_advice: "Ihr Bitrix24-Administrator muss der App in ihren Einstellungen die Berechtigung „{scope}“ geben.",
    problem_scope: "Der App fehlt eine Berechtigung",
    problem_failed_advice: "Es hat mit einem Fehler geantwortet. Ein neuer Versuch kann helfen; wenn es weiter fehlschlägt, wenden Sie sich an Ihren Bitrix24-Administrator.",
    problem_failed: "Das Portal konnte die Anfrage nicht ausführen",
    details: "Details",
    comment_placeholder: "Kommentar… (Strg+Enter speichert)",
    comment_save: "Kommentar speichern",
    comment_label: "Kommentar zum Kunden",
    link_existing: "Vorhandenen Kunden suchen",
    link_hint: "Schon im CRM unter einer anderen Nummer? Verknüpfen Sie den Anruf, statt ein Duplikat anzulegen.",
    link_search_label: "Name, Firma oder andere Nummer",
    link_search: "Suchen",
    link_searching: "Suche läuft…",
    link_none: "Nichts gefunden.",
    link_question: "{number} zu den Telefonnummern von {name} hinzufügen?",
    link_add: "Nummer hinzufügen und Karte öffnen",
    link_open_only: "Karte ohne Nummer öffnen",
    link_failed: "Die Nummer wurde nicht hinzugefügt; nichts wurde geändert.",
    number_added: "Nummer hinzugefügt.",
    comment_saving: "Wird gespeichert…",
    comment_failed: "Der Kommentar wurde nicht gespeichert; Ihr Text bleibt erhalten.",
    comment_on: "Kommentar zu",
    state_connecting: "Es klingelt…",
    state_connected: "Verbunden",
    state_idle: "Anruf beendet",
    retrying: "Das Portal ist ausgelastet — neuer Versuch…",
    new_contact: "Neuer Kontakt",
    new_lead: "Neuer Lead",
    first_name: "Vorname",
    last_name: "Nachname",
    company_name: "Unternehmen",
    email: "E-Mail",
    phone: "Telefon",
    create: "Anlegen",
    creating: "Wird angelegt…",
    cancel: "Abbrechen",
    name_missing: "Geben Sie einen Vor- oder Nachnamen ein.",
    email_invalid: "Das ist keine E-Mail-Adresse.",
    phone_invalid: "Geben Sie eine Telefonnummer ein.",
    create_failed: "Der Eintrag wurde nicht angelegt; Ihre Eingaben bleiben erhalten.",
    contact_created: "Kontakt angelegt.",
    new_deal: "Neuer Deal",
    new_deal_title: "Titel des Deals",
    new_deal_create: "Deal anlegen",
    new_deal_creating: "Wird angelegt…",
    deal_created: "Deal angelegt.",
    deal_not_created: "Der Deal wurde nicht angelegt; der Titel bleibt erhalten.",
    follow_up: "Rückruf planen",
    follow_up_time: "Wann",
    follow_up_subject: "Betreff",
    follow_up_default_subject: "Zurückrufen",
    follow_up_create: "Anruf planen",
    follow_up_done: "Rückruf geplant.",
    follow_up_failed: "Der Anruf wurde nicht geplant; Ihre Eingaben bleiben erhalten.",
    follow_up_time_missing: "Wählen Sie Tag und Uhrzeit.",
    lead_created: "Lead angelegt.",
};

/// `2026-11-03T10:15:00+03:00` → `Nov 3, 2026` / `03.11.2026`; the date as the portal wrote it
/// (its own time zone), not shifted to the browser's. Unreadable dates are shown as given.
pub fn format_date(lang: Lang, iso: &str) -> String {
    let parts: Option<(u32, u32, u32)> = (|| {
        let date = iso.get(..10)?;
        let mut it = date.split('-');
        let y = it.next()?.parse().ok()?;
        let m = it.next()?.parse().ok()?;
        let d = it.next()?.parse().ok()?;
        ((1..=12).contains(&m) && (1..=31).contains(&d)).then_some((y, m, d))
    })();
    let Some((y, m, d)) = parts else { return iso.to_string() };
    match lang {
        Lang::En => {
            const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
            format!("{} {d}, {y}", MONTHS[(m - 1) as usize])
        }
        Lang::Ru | Lang::De => format!("{d:02}.{m:02}.{y}"),
    }
}

/// An amount in its currency, grouped and placed as each language writes money:
/// `€48,000.00`, `48.000,00 €`, `48 000,00 ₽`, `-€5.00`; yen and other currencies without minor
/// units get none. The portal's decimal text is read exactly, whatever its size (no float: a
/// float would round large amounts and costs the module a float parser).
pub fn format_money(lang: Lang, amount: &str, currency: &str) -> Option<String> {
    let code = currency.trim().to_ascii_uppercase();
    let decimals = if matches!(code.as_str(), "JPY" | "KRW" | "VND" | "CLP" | "ISK" | "UGX" | "PYG") { 0 } else { 2 };
    let (negative, whole, frac) = rounded_decimal(amount.trim(), decimals)?;
    let (group, decimal) = match lang {
        Lang::En => (",", "."),
        Lang::De => (".", ","),
        Lang::Ru => ("\u{a0}", ","),
    };
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push_str(group);
        }
        grouped.push(c);
    }
    let sign = if negative { "-" } else { "" };
    let unsigned = if frac.is_empty() { grouped } else { format!("{grouped}{decimal}{frac}") };
    let symbol = match code.as_str() {
        "EUR" => Some("€"),
        "USD" => Some("$"),
        "GBP" => Some("£"),
        "RUB" => Some("₽"),
        "JPY" => Some("¥"),
        "KZT" => Some("₸"),
        "PLN" => Some("zł"),
        _ => None,
    };
    Some(match (lang, symbol) {
        (Lang::En, Some(s)) if s.chars().count() == 1 => format!("{sign}{s}{unsigned}"),
        (_, Some(s)) => format!("{sign}{unsigned}\u{a0}{s}"),
        (_, None) if code.is_empty() => format!("{sign}{unsigned}"),
        (_, None) => format!("{sign}{unsigned}\u{a0}{code}"),
    })
}

/// A decimal text (`-1234.5`, `+7`, `.5`, `12.`) rounded half up to `decimals` places: its
/// sign, whole digits without leading zeros and exactly `decimals` fraction digits. Exponents,
/// blanks inside and anything else are not amounts. A zero is never negative.
fn rounded_decimal(text: &str, decimals: usize) -> Option<(bool, String, String)> {
    let (negative, digits) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (whole.is_empty() && frac.is_empty()) || !all_digits(whole) || !all_digits(frac) {
        return None;
    }
    // Whole and kept fraction digits as one number, most significant first.
    let mut number: Vec<u8> = whole.bytes().chain(frac.bytes().chain(std::iter::repeat(b'0')).take(decimals)).map(|b| b - b'0').collect();
    if frac.as_bytes().get(decimals).is_some_and(|b| *b >= b'5') {
        let mut i = number.len();
        loop {
            if i == 0 {
                number.insert(0, 1);
                break;
            }
            i -= 1;
            if number[i] == 9 {
                number[i] = 0;
            } else {
                number[i] += 1;
                break;
            }
        }
    }
    let split = number.len() - decimals;
    let whole: String = number[..split].iter().map(|d| char::from(b'0' + d)).collect();
    let whole = match whole.trim_start_matches('0') {
        "" => "0".to_string(),
        w => w.to_string(),
    };
    let frac: String = number[split..].iter().map(|d| char::from(b'0' + d)).collect();
    let zero = whole == "0" && frac.bytes().all(|b| b == b'0');
    Some((negative && !zero, whole, frac))
}

/// The country of a calling code, for the unknown-caller panel.
pub fn country(lang: Lang, calling_code: &str) -> Option<&'static str> {
    const COUNTRIES: &[(&str, &str, &str, &str)] = &[
        ("1", "USA or Canada", "США или Канада", "USA oder Kanada"),
        ("7", "Russia or Kazakhstan", "Россия или Казахстан", "Russland oder Kasachstan"),
        ("20", "Egypt", "Египет", "Ägypten"),
        ("31", "Netherlands", "Нидерланды", "Niederlande"),
        ("33", "France", "Франция", "Frankreich"),
        ("34", "Spain", "Испания", "Spanien"),
        ("39", "Italy", "Италия", "Italien"),
        ("41", "Switzerland", "Швейцария", "Schweiz"),
        ("43", "Austria", "Австрия", "Österreich"),
        ("44", "United Kingdom", "Великобритания", "Vereinigtes Königreich"),
        ("46", "Sweden", "Швеция", "Schweden"),
        ("48", "Poland", "Польша", "Polen"),
        ("49", "Germany", "Германия", "Deutschland"),
        ("55", "Brazil", "Бразилия", "Brasilien"),
        ("81", "Japan", "Япония", "Japan"),
        ("86", "China", "Китай", "China"),
        ("90", "Turkey", "Турция", "Türkei"),
        ("375", "Belarus", "Беларусь", "Belarus"),
        ("380", "Ukraine", "Украина", "Ukraine"),
        ("420", "Czechia", "Чехия", "Tschechien"),
        ("971", "United Arab Emirates", "ОАЭ", "Vereinigte Arabische Emirate"),
        ("998", "Uzbekistan", "Узбекистан", "Usbekistan"),
    ];
    COUNTRIES.iter().find(|c| c.0 == calling_code).map(|c| match lang {
        Lang::En => c.1,
        Lang::Ru => c.2,
        Lang::De => c.3,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counted_words_take_the_form_of_their_count() {
        let won = RU.won;
        let said: Vec<&str> = [0, 1, 2, 4, 5, 11, 12, 21, 22, 25, 101, 111].iter().map(|n| won.of(Lang::Ru, *n)).collect();
        assert_eq!(
            said,
            ["успешных", "успешная", "успешные", "успешные", "успешных", "успешных", "успешных", "успешная", "успешные", "успешных", "успешная", "успешных"]
        );
        assert_eq!(EN.won.of(Lang::En, 1), "won");
        assert_eq!(DE.lost.of(Lang::De, 3), "verloren");
    }

    #[test]
    fn languages_fall_back_to_english() {
        assert_eq!(Lang::from_code("ru"), Lang::Ru);
        assert_eq!(Lang::from_code("DE-at"), Lang::De);
        assert_eq!(Lang::from_code("la"), Lang::En);
        assert_eq!(Lang::from_code(""), Lang::En);
        assert_eq!(Lang::Ru.texts().retry, "Повторить");
    }

    #[test]
    fn dates_per_language() {
        assert_eq!(format_date(Lang::En, "2026-11-03T10:15:00+03:00"), "Nov 3, 2026");
        assert_eq!(format_date(Lang::De, "2026-11-03T10:15:00+03:00"), "03.11.2026");
        assert_eq!(format_date(Lang::Ru, "2026-01-20"), "20.01.2026");
        assert_eq!(format_date(Lang::En, "yesterday"), "yesterday");
        assert_eq!(format_date(Lang::En, "2026-13-01"), "2026-13-01");
    }

    #[test]
    fn money_per_language() {
        assert_eq!(format_money(Lang::En, "48000.00", "EUR").as_deref(), Some("€48,000.00"));
        assert_eq!(format_money(Lang::De, "48000.00", "EUR").as_deref(), Some("48.000,00\u{a0}€"));
        assert_eq!(format_money(Lang::Ru, "2450000", "RUB").as_deref(), Some("2\u{a0}450\u{a0}000,00\u{a0}₽"));
        assert_eq!(format_money(Lang::En, "142000", "PLN").as_deref(), Some("142,000.00\u{a0}zł"));
        assert_eq!(format_money(Lang::En, "5", "CHF").as_deref(), Some("5.00\u{a0}CHF"));
        assert_eq!(format_money(Lang::En, "x", "EUR"), None);
        assert_eq!(format_money(Lang::En, "NaN", "EUR"), None);
        // Exactly as stored, whatever the size or sign; rounded half up; yen without decimals.
        assert_eq!(format_money(Lang::En, "184467440737095516150.994", "EUR").as_deref(), Some("€184,467,440,737,095,516,150.99"));
        assert_eq!(format_money(Lang::En, "-5", "EUR").as_deref(), Some("-€5.00"));
        assert_eq!(format_money(Lang::De, "-5", "EUR").as_deref(), Some("-5,00\u{a0}€"));
        assert_eq!(format_money(Lang::En, "9.995", "USD").as_deref(), Some("$10.00"));
        assert_eq!(format_money(Lang::En, "-0.001", "USD").as_deref(), Some("$0.00"));
        assert_eq!(format_money(Lang::En, "1500.5", "JPY").as_deref(), Some("¥1,501"));
        assert_eq!(format_money(Lang::En, ".5", "").as_deref(), Some("0.50"));
        for bad in ["", "-", ".", "1e5", "1 000", "--1", "1.2.3", "١٢"] {
            assert_eq!(format_money(Lang::En, bad, "EUR"), None, "{bad}");
        }
    }

    #[test]
    fn countries() {
        assert_eq!(country(Lang::De, "49"), Some("Deutschland"));
        assert_eq!(country(Lang::En, "999"), None);
    }
}
