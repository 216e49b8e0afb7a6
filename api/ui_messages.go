package api

import (
	"regexp"

	"github.com/labstack/echo/v4"

	"chuyenhoa/api/web"
)

// The services (domain/, store/) explain a refused value in Vietnamese,
// naming the field by its Vietnamese label: "Tên nhiệm vụ không được để
// trống". Vietnamese users see that message as it is. For English users
// the pages recognise the common rules below and say them again from the
// catalogue (rule.*) with the field's English label; a message no rule
// recognises (cross-field rules, conflicts, summaries) stays in Vietnamese.
// README.md ("The web pages") lists what is translated.

// fieldRules recognise a service's field message; the groups fill the
// catalogue message's {a} and {b}.
var fieldRules = []struct {
	re  *regexp.Regexp
	key string
}{
	{regexp.MustCompile(`^.+ không được để trống$`), "rule.required"},
	{regexp.MustCompile(`^Phải nhập .+$`), "rule.required"},
	{regexp.MustCompile(`^Chưa chọn .+$`), "rule.required"},
	{regexp.MustCompile(`^.+ dài quá (\d+) ký tự$`), "rule.too_long"},
	{regexp.MustCompile(`^.+ phải là văn bản UTF-8$`), "rule.utf8"},
	{regexp.MustCompile(`^.+ phải là số nguyên không âm$`), "rule.count"},
	{regexp.MustCompile(`^.+ phải là số nguyên \(không có phần thập phân hay số mũ\)$`), "rule.count"},
	{regexp.MustCompile(`^.+ không được là số âm$`), "rule.negative"},
	{regexp.MustCompile(`^.+ không phải là ngày hợp lệ$`), "rule.bad_date"},
	{regexp.MustCompile(`^Thời hạn (\S+) phải trong năm (\d+) của chương trình$`), "rule.due_year"},
	{regexp.MustCompile(`^Ngày thành lập (\S+) chưa đến$`), "rule.future"},
	{regexp.MustCompile(`^Ngày kết thúc (\S+) trước ngày bắt đầu (\S+)$`), "rule.end_before_start"},
	{regexp.MustCompile(`^Mục phải là 2\.1, 2\.2, 2\.3 hoặc org`), "rule.choice"},
	{regexp.MustCompile(`^Trạng thái phải là `), "rule.choice"},
	{regexp.MustCompile(`^Loại .+ không có trong danh mục$`), "rule.choice"},
	{regexp.MustCompile(`^Chức danh trong Ban Chỉ đạo phải là `), "rule.choice"},
	{regexp.MustCompile(`^Số điện thoại phải có 10 chữ số`), "rule.phone"},
	{regexp.MustCompile(`^Tệp (.+) lớn hơn giới hạn 20 MB$`), "rule.file_size"},
	{regexp.MustCompile(`^Loại tệp “(.+)” không được chấp nhận`), "rule.file_type"},
	{regexp.MustCompile(`^Tệp không có nội dung$`), "rule.file_empty"},
	{regexp.MustCompile(`^Chọn một tệp`), "rule.file_missing"},
}

// fieldMessage returns a service's message about the field labelled label
// in the user's language (see fieldRules).
func (s *Server) fieldMessage(c echo.Context, label, msg string) string {
	if msg == "" || s.lang(c) != web.LangEN {
		return msg
	}
	for _, r := range fieldRules {
		if m := r.re.FindStringSubmatch(msg); m != nil {
			args := []any{"label", label}
			for i, name := range []string{"a", "b"} {
				if i+1 < len(m) {
					args = append(args, name, m[i+1])
				}
			}
			return s.t(c, r.key, args...)
		}
	}
	return msg
}

// fieldMessages translates the messages of a refused form, each field
// named by its label in labels (the field's name when missing).
func (s *Server) fieldMessages(c echo.Context, fields map[string]string, labels map[string]string) map[string]string {
	out := make(map[string]string, len(fields))
	for k, v := range fields {
		label := labels[k]
		if label == "" {
			label = k
		}
		out[k] = s.fieldMessage(c, label, v)
	}
	return out
}
