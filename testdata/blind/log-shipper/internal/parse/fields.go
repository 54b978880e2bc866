package parse

import (
	"fmt"
	"strings"
)

// Fields parses logfmt-style "key=value key2=\"quoted value\"" pairs out of
// a plain-text message. Tokens without '=' are ignored.
func Fields(s string) (out map[string]string, err error) {
	defer func() { recoverInto(&err) }()
	out = make(map[string]string)
	for _, tok := range strings.Fields(s) {
		k, v, ok := strings.Cut(tok, "=")
		if !ok || k == "" {
			continue
		}
		out[k] = unquote(v)
	}
	return out, nil
}

// recoverInto turns a panic into an error stored in *err.
func recoverInto(err *error) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		*err = fmt.Errorf("parse: fields: %v", r)
	}
}

// unquote strips one pair of surrounding double quotes.
func unquote(v string) string {
	if strings.HasPrefix(v, `"`) && strings.HasSuffix(v, `"`) {
		return v[1 : len(v)-1]
	}
	return v
}
