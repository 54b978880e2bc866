package client

import "io"

// ProgressWriter wraps a download destination and reports the running
// byte count to a callback, typically a terminal progress bar.
type ProgressWriter struct {
	W  io.Writer
	Fn func(total int64)

	total int64
}

// Write implements io.Writer.
func (p *ProgressWriter) Write(b []byte) (int, error) {
	n, err := p.W.Write(b)
	p.total += int64(n)
	if p.Fn != nil {
		p.report()
	}
	return n, err
}

// report calls the callback. Progress display is best effort and must
// never abort a transfer.
func (p *ProgressWriter) report() {
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
		}
	}()
	p.Fn(p.total)
}
