package eager

import (
	"fmt"
	"log"
	"os"
	"time"

	"example.com/defereagerevaluation/tracing"
)

func sinceInArgs() {
	start := time.Now()
	defer log.Printf("took %v", time.Since(start)) // want `time.Since\(start\) in defer log.Printf\("took %v", time.Since\(start\)\) is evaluated at the defer statement on line 14, not when sinceInArgs returns, so it measures almost nothing`
	work()
}

func nowInPrintArgs() {
	defer fmt.Println("finished at", time.Now()) // want `time.Now\(\) in defer .* measures the start, not the end`
	work()
}

func nowSub(start time.Time) {
	defer log.Println(time.Now().Sub(start)) // want `time.Now\(\) in defer`
}

func spanFinish() (err error) {
	span := tracing.Start("op")
	defer span.Finish(err) // want `defer span.Finish\(err\) receives err as it is at the defer statement on line 29 \(usually nil\); err is assigned again on line 30`
	if err = step(); err != nil {
		return err
	}
	return fmt.Errorf("late failure")
}

func logResult(op string, err error) {}

func errAssignedAfter() {
	var err error
	defer logResult("op", err) // want `receives err as it is at the defer statement on line 40.*err is assigned again on line 41`
	err = step()
	if err != nil {
		fmt.Println(err)
	}
}

func receiverReassigned(a, b string) error {
	f, err := os.Open(a)
	if err != nil {
		return err
	}
	defer f.Close() // want `defer f.Close\(\) uses the value f has at the defer statement on line 52; f is reassigned on line 53, so the deferred Close still acts on the old f and the value assigned on line 53 is never closed`
	f, err = os.Open(b)
	if err != nil {
		return err
	}
	return nil
}

func funcVarReassigned() {
	cleanup := func() { fmt.Println("first") }
	defer cleanup() // want `defer cleanup\(\) calls the function cleanup holds at the defer statement on line 62; cleanup is reassigned on line 63.*so the new function is never called`
	cleanup = func() { fmt.Println("second") }
}

func funcVarDisarmed() {
	undo := func() { fmt.Println("undo") }
	defer undo() // want `undo is set to nil on line 70, which does not change the deferred call`
	work()
	undo = nil
}

func tempFileReplaced() {
	name := tempName()
	defer os.Remove(name) // want `receives name as it is at the defer statement on line 75; name is assigned again on line 77`
	work()
	name = tempName()
	_ = os.WriteFile(name, nil, 0o600)
}

func errInDeferredLiteralArg() (err error) {
	defer func(e error) { // want `receives err as it is at the defer statement on line 82.*set again by the return statement on line 85`
		fmt.Println(e)
	}(err)
	return step()
}

func work()            {}
func step() error      { return nil }
func tempName() string { return "t" }

type subscription struct{}

func (*subscription) Unsubscribe() error { return nil }

func subscribe(subject string) (*subscription, error) { return &subscription{}, nil }

func onlyTheLastDeferReports() error {
	sub, err := subscribe("a")
	if err != nil {
		return err
	}
	defer sub.Unsubscribe()
	sub, err = subscribe("b")
	if err != nil {
		return err
	}
	defer sub.Unsubscribe() // want `defer sub.Unsubscribe\(\) uses the value sub has at the defer statement on line 108; sub is reassigned on line 109, so the deferred Unsubscribe still acts on the old sub and the value assigned on line 109 gets no Unsubscribe`
	sub, err = subscribe("c")
	return err
}

// In a loop, a reassignment after the defer: the value opened in the last iteration is
// never deferred.
func reopenInLoop(names []string) {
	f, _ := os.Open("first")
	for _, n := range names {
		defer f.Close() // want `defer f.Close\(\) uses the value f has at the defer statement on line \d+; f is reassigned on line \d+`
		f, _ = os.Open(n)
	}
}

// A clock reading passed as an argument to a deferred literal is taken at the defer statement.
func elapsedArg() {
	start := time.Now()
	defer func(d time.Duration) { log.Println("took", d) }(time.Since(start)) // want `time.Since\(start\), an argument of the deferred function literal on line \d+, is evaluated at the defer statement, not when elapsedArg returns, so it measures almost nothing`
	work()
}

// A deferred call written over several lines is shown in short.
func multiLine() {
	start := time.Now()
	defer log.Printf(
		"took %v",
		time.Since(start), // want `time.Since\(start\) in defer log.Printf\(\.\.\.\) is evaluated at the defer statement on line \d+, .*defer a closure so it runs at exit: defer func\(\) \{ \.\.\. \}\(\) around the call$`
	)
	work()
}

// A count reported at exit, but passed at the defer statement: the call always reports 0.
func countProcessed(items []string) {
	n := 0
	defer log.Printf("processed %d items", n) // want `defer log.Printf\("processed %d items", n\) receives n as it is at the defer statement on line \d+; n is assigned again on line \d+, so the deferred call uses the old value`
	for range items {
		n++
	}
}

type statusBoard struct{}

func (statusBoard) Publish(id, status string) {}

// A status published at exit, taken at the defer statement: always "pending".
func awaitStatus(b statusBoard, id string, updates <-chan string) {
	status := "pending"
	defer b.Publish(id, status) // want `defer b.Publish\(id, status\) receives status as it is at the defer statement on line \d+; status is assigned again on line \d+`
	for u := range updates {
		status = u
	}
}

// The end of a span given the time of the defer statement: the span ends where it starts.
type endSpan struct{}

func (endSpan) FinishAt(t time.Time) {}

func finishAtNow(s endSpan) {
	defer s.FinishAt(time.Now()) // want `time.Now\(\) in defer s.FinishAt\(time.Now\(\)\) is evaluated at the defer statement on line \d+, not when finishAtNow returns, so it measures the start, not the end`
	work()
}

type jobLog struct{}

func (jobLog) recordEnd(id string, at time.Time) {}

// The end of the job stamped with the time of the defer statement: its start.
func runJob(l jobLog, id string) {
	defer l.recordEnd(id, time.Now()) // want `time.Now\(\) in defer l.recordEnd\(id, time.Now\(\)\) is evaluated at the defer statement on line \d+, not when runJob returns, so it measures the start, not the end`
	work()
}

type response struct{ body *os.File }

func ensureClosed(r *response) {}

func search(auth string) (*response, error) { return &response{}, nil }

// The retry's response replaces the first one, which alone is closed at exit.
func searchWithRetry() error {
	resp, err := search("")
	defer ensureClosed(resp) // want `defer ensureClosed\(resp\) receives resp as it is at the defer statement on line \d+; resp is assigned again on line \d+`
	if err != nil {
		resp, err = search("token")
	}
	return err
}
