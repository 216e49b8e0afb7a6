package api

import (
	"testing"

	"chuyenhoa/domain"
)

func TestBadText(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"Phường Nếnh", false},
		{"dòng 1\ndòng 2\r\n\tthụt lề", false},
		{"a\x00b", true},
		{"a\x07b", true},
		{"a\x7fb", true},
		{"a\u0085b", true},
		{"a\xffb", true},
		{"", false},
		{"😀 \u202e", false},
	} {
		if got := badText(tc.in); got != tc.want {
			t.Errorf("badText(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestCheckJSONText(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{`{"full_name":"Nguyễn Văn A","roles":["ward"],"n":1,"ok":true,"x":null}`, nil},
		{`{"full_name":"a\u0000b"}`, []string{"full_name"}},
		{`{"admin":{"username":"a\u0000"},"code":"01"}`, []string{"admin.username"}},
		{`{"tasks":[{"title":"ok"},{"title":"x\u0007"}]}`, []string{"tasks[1].title"}},
		{`{"values":{"k\u0000":1}}`, []string{"values.k\x00"}},
		{`["a","\u0000"]`, []string{"body[1]"}},
		{`"\u0000"`, []string{"body"}},
		{`{"a":[[1,"\u0000"]],"b":"\u0000"}`, []string{"a[0][1]", "b"}},
		{`{"a":`, nil},
	} {
		err := checkJSONText([]byte(tc.in))
		var got []string
		if e, ok := err.(*domain.Error); ok {
			for f := range e.Fields {
				got = append(got, f)
			}
		}
		if len(got) != len(tc.want) {
			t.Errorf("checkJSONText(%s) names %q, want %q", tc.in, got, tc.want)
			continue
		}
		for _, w := range tc.want {
			if _, ok := err.(*domain.Error).Fields[w]; !ok {
				t.Errorf("checkJSONText(%s) names %q, want %q", tc.in, got, tc.want)
			}
		}
	}
}
