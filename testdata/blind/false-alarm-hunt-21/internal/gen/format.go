package gen

import (
	"fmt"
	"go/format"
)

// formatSource gofmts generated code. A panic inside go/format (seen with
// pathological template output) is returned as an error naming the input.
func formatSource(src []byte) (out []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("format %d bytes: panic: %v", len(src), r)
		}
	}()
	out, err = format.Source(src)
	if err != nil {
		return nil, fmt.Errorf("format: %w", err)
	}
	return out, nil
}

// tryFormat is used for previews, where unformatted output is acceptable:
// any failure falls back to src.
func tryFormat(src []byte) (out []byte) {
	out = src
	defer func() { recover() }() // HAZ recover-swallows-panic
	if b, err := format.Source(src); err == nil {
		out = b
	}
	return out
}
