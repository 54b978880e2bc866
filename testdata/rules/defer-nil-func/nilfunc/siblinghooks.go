package nilfunc

import (
	"fmt"
	"io"
)

// StatusPoller reports state changes; its users set the hooks they want.
type StatusPoller struct {
	w          io.Writer
	last       map[string]string
	OnChange   func(key, prev, cur string)
	OnPollDone func()
	OnPollFail func(error)
}

func NewStatusPoller(w io.Writer) *StatusPoller {
	return &StatusPoller{w: w, last: map[string]string{}}
}

func (p *StatusPoller) apply(cur map[string]string) {
	for k, v := range cur {
		prev := p.last[k]
		if prev == v {
			continue
		}
		p.last[k] = v
		fmt.Fprintf(p.w, "%s: %s -> %s\n", k, prev, v)
		if p.OnChange != nil {
			p.OnChange(k, prev, v)
		}
	}
}

// OnPollDone is set by no one here, and OnChange, its sibling hook, is tested before each call:
// left unset, the deferred call panics.
func (p *StatusPoller) PollOnce(load func() (map[string]string, error)) error {
	defer p.OnPollDone() // want `StatusPoller\.OnPollDone is a hook nothing in package nilfunc sets, like StatusPoller\.OnChange, which the package tests against nil`
	cur, err := load()
	if err != nil {
		return err
	}
	p.apply(cur)
	return nil
}

// Every hook of Stage is called without a test: the package treats them as required. No finding.
type Stage struct {
	Name      string
	OnStart   func(string)
	OnFinish  func(string)
	OnProcess func(string) error
}

func (s *Stage) Run() error {
	s.OnStart(s.Name)
	defer s.OnFinish(s.Name)
	return s.OnProcess(s.Name)
}

// ConnProxy calls its optional hooks through callConnHook, which tests them against nil.
type ConnProxy struct {
	OnOpen  func(string)
	OnClose func(string)
}

func callConnHook(h func(string), addr string) {
	if h == nil {
		return
	}
	h(addr)
}

// OnOpen goes through the helper; OnClose, its sibling, is deferred unguarded.
func (p *ConnProxy) Serve(addr string, serve func(string)) {
	callConnHook(p.OnOpen, addr)
	defer p.OnClose(addr) // want `ConnProxy\.OnClose is a hook nothing in package nilfunc sets, like ConnProxy\.OnOpen`
	serve(addr)
}
