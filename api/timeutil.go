package api

import (
	"time"

	"github.com/uptrace/bun"
)

type bunTx = bun.Tx

type timeT = time.Time

var hcm = func() *time.Location {
	if l, err := time.LoadLocation("Asia/Ho_Chi_Minh"); err == nil {
		return l
	}
	return time.FixedZone("ICT", 7*3600)
}()

// parseTime accepts RFC 3339 or a date (midnight in Asia/Ho_Chi_Minh).
func parseTime(v string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	return time.ParseInLocation("2006-01-02", v, hcm)
}
