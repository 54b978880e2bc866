//go:build go1.22

package pipeline

import "context"

// StartSinks is StartWorkers for builds with Go 1.22 loop semantics: this
// file's effective version is go1.22, so each iteration has its own s.
func (p *Pipeline) StartSinks(ctx context.Context, in <-chan Item) {
	for _, s := range p.sinks {
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			for it := range in {
				if err := s.Deliver(ctx, it); err != nil {
					p.log.Printf("sink %s: %s: %v", s.Name(), it.Key, err)
				}
			}
		}()
	}
}
