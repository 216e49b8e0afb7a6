package domain

import (
	"errors"
	"fmt"
	"strconv"
)

// Msg is a message about a value a user entered: the Vietnamese text the
// services have always written (and the JSON API returns), and, when the
// web pages can say it in another language, the catalogue key and the
// values of its placeholders. The web layer adds the placeholder {label},
// the field's name in the user's language, itself: the text names the
// field in Vietnamese, the arguments never do.
//
// The constructors below are the only producers of keyed messages, so that
// the text and the key cannot drift apart; Keys lists what they emit.
type Msg struct {
	Text string
	Key  string
	Args map[string]any
}

// The catalogue keys of the field messages (api/web/locales/*.json).
const (
	KeyRequired       = "rule.required"
	KeyTooLong        = "rule.too_long"
	KeyUTF8           = "rule.utf8"
	KeyCount          = "rule.count"
	KeyNegative       = "rule.negative"
	KeyBadDate        = "rule.bad_date"
	KeyDueYear        = "rule.due_year"
	KeyFuture         = "rule.future"
	KeyEndBeforeStart = "rule.end_before_start"
	KeyChoice         = "rule.choice"
	KeyPhone          = "rule.phone"
	KeyFileSize       = "rule.file_size"
	KeyFileType       = "rule.file_type"
	KeyFileEmpty      = "rule.file_empty"
	KeyFileMissing    = "rule.file_missing"
	// KeyStale is the whole message of a conflict where someone else
	// changed the object since the user loaded it (see Stale).
	KeyStale = "error.stale"
)

// Keys maps every key a constructor here can emit to the names of the
// arguments it fills; a field message's catalogue entry may also use
// {label}. A test checks both catalogues against it.
var Keys = map[string][]string{
	KeyRequired:       nil,
	KeyTooLong:        {"max"},
	KeyUTF8:           nil,
	KeyCount:          nil,
	KeyNegative:       nil,
	KeyBadDate:        nil,
	KeyDueYear:        {"date", "year"},
	KeyFuture:         {"date"},
	KeyEndBeforeStart: {"end", "start"},
	KeyChoice:         nil,
	KeyPhone:          nil,
	KeyFileSize:       {"name"},
	KeyFileType:       {"type"},
	KeyFileEmpty:      nil,
	KeyFileMissing:    nil,
	KeyStale:          nil,
}

// MsgRequired: what (a Vietnamese label) is empty.
func MsgRequired(what string) Msg {
	return Msg{Text: what + " không được để trống", Key: KeyRequired}
}

// MsgMustEnter: what must be entered ("Phải nhập …").
func MsgMustEnter(what string) Msg {
	return Msg{Text: "Phải nhập " + what, Key: KeyRequired}
}

// MsgNotChosen: nothing was chosen for what ("Chưa chọn …").
func MsgNotChosen(what string) Msg {
	return Msg{Text: "Chưa chọn " + what, Key: KeyRequired}
}

// MsgTooLong: what is longer than max characters.
func MsgTooLong(what string, max int) Msg {
	return Msg{Text: fmt.Sprintf("%s dài quá %d ký tự", what, max), Key: KeyTooLong, Args: map[string]any{"max": max}}
}

// MsgNoteTooLong: the note of the assessment what is longer than max
// characters (the label names the assessment, not its note).
func MsgNoteTooLong(what string, max int) Msg {
	return Msg{Text: fmt.Sprintf("%s có nhận xét dài quá %d ký tự", what, max), Key: KeyTooLong, Args: map[string]any{"max": max}}
}

// MsgNotUTF8: what is not UTF-8 text.
func MsgNotUTF8(what string) Msg {
	return Msg{Text: what + " phải là văn bản UTF-8", Key: KeyUTF8}
}

// MsgNotCount: what is not a non-negative whole number.
func MsgNotCount(what string) Msg {
	return Msg{Text: what + " phải là số nguyên không âm", Key: KeyCount}
}

// MsgFraction: what was written with a fraction or an exponent, which a
// count never is.
func MsgFraction(what string) Msg {
	return Msg{Text: what + " phải là số nguyên (không có phần thập phân hay số mũ)", Key: KeyCount}
}

// MsgNegative: what is negative.
func MsgNegative(what string) Msg {
	return Msg{Text: what + " không được là số âm", Key: KeyNegative}
}

// MsgBadDate: what is not a valid date.
func MsgBadDate(what string) Msg {
	return Msg{Text: what + " không phải là ngày hợp lệ", Key: KeyBadDate}
}

// MsgDueYear: the date d of what falls outside the campaign year.
func MsgDueYear(what string, d Date, year int) Msg {
	return Msg{Text: fmt.Sprintf("%s %s phải trong năm %d của chương trình", what, d.FormatVN(), year), Key: KeyDueYear,
		// The year as text: a year is not a quantity to group by thousands.
		Args: map[string]any{"date": d.FormatVN(), "year": strconv.Itoa(year)}}
}

// MsgFuture: the date d of what has not come yet.
func MsgFuture(what string, d Date) Msg {
	return Msg{Text: fmt.Sprintf("%s %s chưa đến", what, d.FormatVN()), Key: KeyFuture, Args: map[string]any{"date": d.FormatVN()}}
}

// MsgEndBeforeStart: a period ends before it starts.
func MsgEndBeforeStart(end, start Date) Msg {
	return Msg{Text: fmt.Sprintf("Ngày kết thúc %s trước ngày bắt đầu %s", end.FormatVN(), start.FormatVN()), Key: KeyEndBeforeStart,
		Args: map[string]any{"end": end.FormatVN(), "start": start.FormatVN()}}
}

// MsgChoice: a value outside a fixed list; text says (in Vietnamese) which
// values are allowed, which the other languages say from the form itself.
func MsgChoice(text string) Msg {
	return Msg{Text: text, Key: KeyChoice}
}

// MsgPhone: a telephone number that is neither a mobile nor a fixed line.
func MsgPhone() Msg {
	return Msg{Text: "Số điện thoại phải có 10 chữ số (di động, ví dụ 0912 345 678) hoặc 11 chữ số (cố định, ví dụ 0204 3874 123); có thể viết +84 thay cho số 0 đầu",
		Key: KeyPhone}
}

// MsgFileTooLarge: the file called name is over the 20 MB limit.
func MsgFileTooLarge(name string) Msg {
	return Msg{Text: fmt.Sprintf("Tệp %s lớn hơn giới hạn 20 MB", name), Key: KeyFileSize, Args: map[string]any{"name": name}}
}

// MsgFileType: a file of a type (a MIME type) that is not accepted.
func MsgFileType(mime string) Msg {
	return Msg{Text: fmt.Sprintf(
		"Loại tệp “%s” không được chấp nhận; chỉ nhận PDF, ảnh (PNG, JPEG, GIF, WebP), văn bản Word/Excel/PowerPoint (docx, xlsx, pptx), OpenDocument và văn bản thuần UTF-8",
		mime), Key: KeyFileType, Args: map[string]any{"type": mime}}
}

// MsgFileEmpty: an uploaded file with no content.
func MsgFileEmpty() Msg {
	return Msg{Text: "Tệp không có nội dung", Key: KeyFileEmpty}
}

// MsgFileMissing: a form that needs a file was sent without one.
func MsgFileMissing() Msg {
	return Msg{Text: "Chọn một tệp để tải lên", Key: KeyFileMissing}
}

// Stale returns the ECONFLICT error for an object someone else changed
// since the user loaded it; message says which object in Vietnamese. The
// web pages recognise it by its key (KeyStale), never by its text.
func Stale(message string) *Error {
	return &Error{Code: ECONFLICT, Message: message, Key: KeyStale}
}

// IsStale reports whether err is (or wraps) a Stale conflict.
func IsStale(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Key == KeyStale
}
