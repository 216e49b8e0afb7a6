package web

import (
	"strconv"
	"time"

	"chuyenhoa/domain"
)

// FormatInt writes n with thousands separators: 1.234 in Vietnamese,
// 1,234 in English.
func FormatInt(lang string, n int64) string {
	sep := byte('.')
	if lang == LangEN {
		sep = ','
	}
	s := strconv.FormatInt(n, 10)
	neg := false
	if n < 0 {
		neg, s = true, s[1:]
	}
	out := make([]byte, 0, len(s)+len(s)/3+1)
	if neg {
		out = append(out, '-')
	}
	for i := 0; i < len(s); i++ {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, sep)
		}
		out = append(out, s[i])
	}
	return string(out)
}

// FormatDate writes a calendar date as dd/mm/yyyy, in both languages.
func FormatDate(d domain.Date) string {
	if d.IsZero() {
		return "—"
	}
	return d.FormatVN()
}

// FormatTime writes an instant as dd/mm/yyyy HH:MM in Vietnam's time zone.
func FormatTime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(domain.VietnamLocation()).Format("02/01/2006 15:04")
}

// FormatDay writes the Vietnamese calendar day of an instant as dd/mm/yyyy.
func FormatDay(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(domain.VietnamLocation()).Format("02/01/2006")
}

// DaysBetween returns the number of calendar days from today until due:
// negative when due has passed.
func DaysBetween(today, due domain.Date) int {
	return int(due.Time().Sub(today.Time()).Round(24*time.Hour) / (24 * time.Hour))
}
