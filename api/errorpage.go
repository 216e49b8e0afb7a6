package api

import (
	"fmt"
	"html"
	"net/http"
)

// errorPage is the plain HTML error page for browsers until the web UI's
// templates take over.
func errorPage(status int, message, requestID string) string {
	title := map[int]string{
		http.StatusNotFound:  "Không tìm thấy trang",
		http.StatusForbidden: "Không có quyền truy cập",
	}[status]
	if title == "" {
		title = "Đã có lỗi xảy ra"
	}
	return fmt.Sprintf(`<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>%s</title></head><body><h1>%s</h1><p>%s</p><p>Mã yêu cầu: <code>%s</code></p><p><a href="/">Về trang chủ</a></p></body></html>`,
		html.EscapeString(title), html.EscapeString(title), html.EscapeString(message), html.EscapeString(requestID))
}
