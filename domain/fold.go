package domain

import (
	"strings"
	"unicode"
)

// foldVietnameseTable maps each lower-case precomposed Vietnamese letter with
// a diacritic to its base letter.
var foldVietnameseTable = func() map[rune]rune {
	m := make(map[rune]rune, 134)
	for base, letters := range map[rune]string{
		'a': "àáảãạăằắẳẵặâầấẩẫậ",
		'e': "èéẻẽẹêềếểễệ",
		'i': "ìíỉĩị",
		'o': "òóỏõọôồốổỗộơờớởỡợ",
		'u': "ùúủũụưừứửữự",
		'y': "ỳýỷỹỵ",
		'd': "đ",
	} {
		for _, r := range letters {
			m[r] = base
		}
	}
	return m
}()

// FoldVietnamese returns s lower-cased, without Vietnamese diacritics and
// with runs of white space collapsed to one space ("  Phường  Nếnh" →
// "phuong nenh"), for sorting and searching names. It handles precomposed
// (NFC) and decomposed (NFD) input alike using only the standard library,
// and agrees with tenants.Fold on Vietnamese text.
func FoldVietnamese(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if unicode.Is(unicode.Mn, r) {
			continue // a combining mark of decomposed input
		}
		r = unicode.ToLower(r)
		if base, ok := foldVietnameseTable[r]; ok {
			r = base
		}
		b.WriteRune(r)
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// compareNatural compares a and b byte by byte, except that runs of ASCII
// digits compare by their numeric value, so "phuong 2" sorts before
// "phuong 10". Equal values with different leading zeros compare equal.
func compareNatural(a, b string) int {
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		if foldIsDigit(a[i]) && foldIsDigit(b[j]) {
			si, sj := i, j
			for i < len(a) && foldIsDigit(a[i]) {
				i++
			}
			for j < len(b) && foldIsDigit(b[j]) {
				j++
			}
			da := strings.TrimLeft(a[si:i], "0")
			db := strings.TrimLeft(b[sj:j], "0")
			if c := cmpInt(len(da), len(db)); c != 0 {
				return c
			}
			if c := strings.Compare(da, db); c != 0 {
				return c
			}
			continue
		}
		if a[i] != b[j] {
			if a[i] < b[j] {
				return -1
			}
			return 1
		}
		i++
		j++
	}
	return cmpInt(len(a)-i, len(b)-j)
}

func foldIsDigit(c byte) bool { return '0' <= c && c <= '9' }
