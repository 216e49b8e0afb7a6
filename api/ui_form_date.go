package api

import (
	"regexp"
	"strings"

	"github.com/labstack/echo/v4"

	"chuyenhoa/domain"
)

// vnDateShape is the form dd/mm/yyyy (d/m/yyyy too) that ParseDateVN reads.
var vnDateShape = regexp.MustCompile(`^\d{1,2}/\d{1,2}/\d{4}$`)

// formDate parses a date typed in a form. Its message, when it fails, says
// which is wrong: the form ("Ngày phải có dạng dd/mm/yyyy") or the day
// itself (31/02/2024 has the right form but does not exist).
func (s *Server) formDate(c echo.Context, raw string) (domain.Date, string) {
	raw = strings.TrimSpace(raw)
	d, err := domain.ParseDateVN(raw)
	switch {
	case err == nil:
		return d, ""
	case vnDateShape.MatchString(raw):
		return domain.Date{}, s.t(c, "form.no_such_date", "date", raw)
	}
	return domain.Date{}, s.t(c, "form.bad_date")
}
