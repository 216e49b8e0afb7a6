package domain

import (
	"slices"
	"sort"
	"testing"
)

// TestMsgConstructors checks that each constructor emits a key of Keys
// with exactly the arguments Keys lists for it, so that the catalogue test
// in api/web, which reads Keys, covers every keyed message.
func TestMsgConstructors(t *testing.T) {
	d := Date{Year: 2025, Month: 1, Day: 2}
	for name, m := range map[string]Msg{
		"required":   MsgRequired("Tên"),
		"must enter": MsgMustEnter("tên"),
		"not chosen": MsgNotChosen("tỉnh"),
		"too long":   MsgTooLong("Tên", 200),
		"utf8":       MsgNotUTF8("Tên"),
		"count":      MsgNotCount("Số hộ"),
		"fraction":   MsgFraction("Số hộ"),
		"negative":   MsgNegative("Số hộ"),
		"bad date":   MsgBadDate("Thời hạn"),
		"due year":   MsgDueYear("Thời hạn", d, 2024),
		"future":     MsgFuture("Ngày thành lập", d),
		"end":        MsgEndBeforeStart(d, d),
		"choice":     MsgChoice("Mục phải là 2.1"),
		"phone":      MsgPhone(),
		"file size":  MsgFileTooLarge("a.pdf"),
		"file type":  MsgFileType("text/html"),
		"file empty": MsgFileEmpty(),
		"no file":    MsgFileMissing(),
		"note long":  MsgNoteTooLong("Nhận xét", 2000),
	} {
		t.Run(name, func(t *testing.T) {
			want, ok := Keys[m.Key]
			if !ok {
				t.Fatalf("key %q is not in Keys", m.Key)
			}
			var got []string
			for a := range m.Args {
				got = append(got, a)
			}
			sort.Strings(got)
			want = slices.Clone(want)
			sort.Strings(want)
			if !slices.Equal(got, want) {
				t.Errorf("arguments %v, want %v", got, want)
			}
			if m.Text == "" {
				t.Error("no Vietnamese text")
			}
		})
	}
	if got, want := problemMsg("Đánh giá", probNoteLong).Text, "Đánh giá"+probNoteLong; got != want {
		t.Errorf("note too long = %q, want %q", got, want)
	}
	if e := Stale("x"); !IsStale(e) || e.Code != ECONFLICT {
		t.Errorf("Stale: %+v", e)
	}
	if _, ok := Keys[KeyStale]; !ok {
		t.Error("KeyStale is not in Keys")
	}
}

// TestFieldErrorsKeepKeys checks that the keys travel from FieldErrors
// through the error and back, and that Fields keeps the plain text the
// JSON API returns.
func TestFieldErrorsKeepKeys(t *testing.T) {
	fe := FieldErrors{}
	fe.AddMsg("title", MsgRequired("Tên nhiệm vụ"))
	fe.Add("other", "Số hộ (5) không được lớn hơn số hộ dân (3)")
	fe.Add("title", "ignored: the field already has a message")
	e := fe.Err().(*Error)
	if got, want := e.Fields["title"], "Tên nhiệm vụ không được để trống"; got != want {
		t.Errorf("Fields[title] = %q, want %q", got, want)
	}
	if got := e.FieldMsg("title").Key; got != KeyRequired {
		t.Errorf("FieldMsg(title).Key = %q", got)
	}
	if m := e.FieldMsg("other"); m.Key != "" || m.Text != e.Fields["other"] {
		t.Errorf("FieldMsg(other) = %+v", m)
	}
	if _, ok := e.FieldMsgs["other"]; ok {
		t.Error("a message without a key is in FieldMsgs")
	}
	if got := e.FieldErrors()["title"]; got.Key != KeyRequired {
		t.Errorf("FieldErrors() lost the key: %+v", got)
	}
}
