// Blocking calls and handler types added by the configuration.
package fixture

import (
	"sync"

	"example.com/deferblockingopts/web"
)

type Queue struct{ items []string }

// Flush sends everything to a remote broker.
func (q *Queue) Flush() error { return nil }

// Drop is not configured as blocking.
func (q *Queue) Drop() {}

func Publish(q *Queue) {
	defer q.Flush() // want `^deferred q\.Flush\(\) is configured as a blocking call, so Publish cannot return until then`
}

func Discard(q *Queue) {
	defer q.Drop()
}

// A handler of the in-house framework: critical.
func Handle(c *web.Context, wg *sync.WaitGroup) {
	defer wg.Wait() // want `Handle \(a Context handler\) cannot finish the request`
}

// Same shape without the handler type: high only.
func NotHandler(c web.Context, wg *sync.WaitGroup) {
	defer wg.Wait() // want `^deferred wg\.Wait\(\) blocks until every goroutine of the group has called Done, so NotHandler cannot return until then`
}
