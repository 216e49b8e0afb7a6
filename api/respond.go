package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"chuyenhoa/domain"
)

// Page is the JSON shape of a paged list.
type Page[T any] struct {
	Items  []T `json:"items"`
	Total  int `json:"total"`
	Limit  int `json:"limit"`
	Offset int `json:"offset"`
}

// pathID parses a numeric path parameter; bad input is EINVALID, never 500.
func pathID(c echo.Context, name string) (int64, error) {
	v, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || v <= 0 {
		return 0, domain.Invalid("Tham số đường dẫn không hợp lệ", map[string]string{name: "phải là số nguyên dương"})
	}
	return v, nil
}

// paging reads limit and offset query parameters.
func paging(c echo.Context) (limit, offset int, err error) {
	fe := domain.FieldErrors{}
	limit, offset = 100, 0
	if v := c.QueryParam("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			fe.Add("limit", "phải là số nguyên từ 1 đến 1000")
		}
		limit = n
	}
	if v := c.QueryParam("offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			fe.Add("offset", "phải là số nguyên không âm")
		}
		offset = n
	}
	return limit, offset, fe.Err()
}

// queryID reads an optional numeric query parameter.
func queryID(c echo.Context, name string) (*int64, error) {
	v := c.QueryParam(name)
	if v == "" {
		return nil, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 {
		return nil, domain.Invalid("Tham số không hợp lệ", map[string]string{name: "phải là số nguyên dương"})
	}
	return &n, nil
}

// decodeJSON strictly decodes the request body into v: unknown fields and
// wrong types are EINVALID naming the field.
// A NUL or another control character in any key or string is EINVALID
// naming its path (checkJSONText), never a database error.
func decodeJSON(c echo.Context, v any) error {
	b, err := io.ReadAll(c.Request().Body)
	if err != nil {
		return jsonError(err)
	}
	if err := checkJSONText(b); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if dec.More() {
		return domain.Invalid("Dữ liệu JSON thừa sau đối tượng", map[string]string{"body": "chỉ gửi một đối tượng JSON"})
	}
	return nil
}

func jsonError(err error) error {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.Is(err, io.EOF):
		return domain.Invalid("Thiếu dữ liệu JSON", map[string]string{"body": "không được để trống"})
	case errors.As(err, &te):
		field := te.Field
		if field == "" {
			field = "body"
		}
		if te.Type == dateType {
			return domain.Invalid("Ngày không hợp lệ", map[string]string{field: dateReason(te.Value)})
		}
		return domain.Invalid("Kiểu dữ liệu không đúng", map[string]string{field: fmt.Sprintf("phải là %s", jsonType(te.Type.Kind().String()))})
	case errors.As(err, &se):
		return domain.Invalid("JSON không hợp lệ", map[string]string{"body": fmt.Sprintf("lỗi cú pháp ở vị trí %d", se.Offset)})
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		f := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return domain.Invalid("Trường không được hỗ trợ", map[string]string{f: "trường không tồn tại"})
	}
	var me *echo.HTTPError
	if errors.As(err, &me) {
		return err
	}
	if strings.Contains(err.Error(), "request body too large") {
		return echo.ErrStatusRequestEntityTooLarge
	}
	return domain.Invalid("JSON không hợp lệ", map[string]string{"body": "không đọc được dữ liệu JSON"})
}

// dateReason says why a JSON value is not a date: a string is parsed again
// for the exact reason (format, or a day that does not exist).
func dateReason(value string) string {
	if q, ok := strings.CutPrefix(value, "string "); ok {
		if s, err := strconv.Unquote(q); err == nil {
			if _, err := domain.ParseDate(s); err != nil {
				var de *domain.Error
				if errors.As(err, &de) {
					return de.Message
				}
			}
		}
	}
	return "phải là chuỗi ngày dạng YYYY-MM-DD, ví dụ \"2024-03-12\""
}

func jsonType(kind string) string {
	switch kind {
	case "string":
		return "chuỗi"
	case "int", "int64", "int32", "uint", "uint64", "float64":
		return "số"
	case "bool":
		return "true/false"
	case "slice":
		return "mảng"
	case "struct", "map":
		return "đối tượng"
	}
	return kind
}

// answerByID answers a read of one object named by the path's id: the
// lookup is scoped by the service, so another scope's id is its not_found.
func answerByID[T any](c echo.Context, find func(context.Context, int64) (T, error)) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	v, err := find(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}

// listByID answers a list that belongs to the object named by the path's id.
func listByID[T any](c echo.Context, find func(context.Context, int64) ([]T, error)) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	items, err := find(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, List[T]{Items: items})
}
