package outsiderecover

import (
	"log"
	"net/http"
	"sync"
)

func work(i int) int {
	if i < 0 {
		panic("negative")
	}
	return i
}

func handlePanic() {
	if r := recover(); r != nil {
		log.Printf("recovered: %v", r)
	}
}

func logPanic(r any) { log.Printf("panic: %v", r) }

// ---- positives ----

// The function recovers, but the goroutine it starts does not.
func process(items []int) {
	defer func() {
		if r := recover(); r != nil {
			logPanic(r)
		}
	}()
	for _, it := range items {
		go func() { // want `process protects itself with a deferred recover \(line 28\), but the goroutine started on line 34 has no recover of its own`
			work(it)
		}()
	}
}

// Protected through a deferred named helper; the goroutine runs a package function without recover.
func serve(n int) {
	defer handlePanic()
	go background(n) // want `serve protects itself with a deferred recover \(line 42\), but the goroutine started on line 43 runs background, which has no recover of its own`
}

func background(n int) {
	work(n)
}

// A method goroutine.
type worker struct{ id int }

func (w *worker) loop() {
	work(w.id)
}

func (w *worker) start() {
	defer handlePanic()
	go w.loop() // want `runs worker.loop, which has no recover`
}

// An HTTP middleware that recovers per request, starting an unprotected goroutine.
func recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if err := recover(); err != nil {
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		go func() { // want `the function literal on line 64 protects itself`
			audit(r.URL.Path)
		}()
		next.ServeHTTP(w, r)
	})
}

func audit(p string) { _ = work(len(p)) }

// The goroutine's recover is in a nested literal, which does not stop its panics.
func nestedRecover() {
	defer handlePanic()
	go func() { // want `nestedRecover protects itself`
		defer func() {
			func() { recover() }()
		}()
		work(-1)
	}()
}

// A goroutine started before the deferred recover is registered is not protected either.
func startedFirst() {
	go func() { // want `startedFirst protects itself`
		work(-1)
	}()
	defer handlePanic()
	work(1)
}

// A deferred recover that re-panics does not protect the function: nothing to compare with.
func repanics(wg *sync.WaitGroup) {
	defer func() {
		if r := recover(); r != nil {
			panic(r)
		}
	}()
	wg.Add(1)
	go func() {
		defer wg.Done()
		work(-1)
	}()
}

// A method value's goroutine in a loop.
func (w *worker) fanOut(ws []*worker) {
	defer handlePanic()
	for _, x := range ws {
		go x.loop() // want `runs worker.loop`
	}
}

// Protected through a deferred method of the receiver.
type svc struct{}

func (s *svc) recoverPanic() {
	if r := recover(); r != nil {
		log.Print(r)
	}
}

func (s *svc) handle() {
	defer s.recoverPanic()
	go func() { // want `svc.handle protects itself with a deferred recover \(line 131\)`
		work(-1)
	}()
}

// ---- negatives ----

// The goroutine has its own deferred recover.
func protectedGoroutine() {
	defer handlePanic()
	go func() {
		defer handlePanic()
		work(-1)
	}()
}

// The goroutine's own recover is a deferred literal.
func protectedLiteral() {
	defer handlePanic()
	go func() {
		defer func() {
			if r := recover(); r != nil {
				logPanic(r)
			}
		}()
		work(-1)
	}()
}

// The goroutine runs a package function that recovers itself.
func safeBackground(n int) {
	defer handlePanic()
	work(n)
}

func startsSafe(n int) {
	defer handlePanic()
	go safeBackground(n)
}

// A function without a deferred recover: not this rule's concern.
func unprotected() {
	go func() {
		work(-1)
	}()
}

// The goroutine is handed to a wrapper that recovers around the real work.
func safeGo(f func()) {
	defer handlePanic()
	f()
}

func viaWrapper() {
	defer handlePanic()
	go safeGo(func() { work(-1) })
	go func() {
		safeGo(func() { work(-2) })
	}()
}

// The deferred call is not a recover at all.
func notRecover(mu *sync.Mutex) {
	mu.Lock()
	defer mu.Unlock()
	go func() {
		work(-1)
	}()
}

// A goroutine of another package: its recover is out of sight.
func otherPackage(srv *http.Server) {
	defer handlePanic()
	go srv.ListenAndServe()
}

// A goroutine that only waits and closes a channel cannot panic in a way recover would matter for.
func closer(wg *sync.WaitGroup, out chan int) {
	defer handlePanic()
	go func() {
		wg.Wait()
		close(out)
	}()
}

// The go statement belongs to a nested literal without a recover: the literal is its own function.
func nestedLiteral() {
	defer handlePanic()
	start := func() {
		go func() {
			work(-1)
		}()
	}
	start()
}

// The goroutine runs a plain function that calls nothing a rule looks for.
func notify(n int) {
	defer handlePanic()
	go report(n) // want `notify protects itself with a deferred recover \(line 230\), but the goroutine started on line 231 runs report, which has no recover of its own`
}

func report(n int) { log.Printf("n=%d", n) }

// A recovering literal held by a local variable and deferred through it protects the goroutine.
func localGuardInGoroutine(items []int) {
	defer func() {
		if r := recover(); r != nil {
			log.Println(r)
		}
	}()
	guard := func() {
		if r := recover(); r != nil {
			log.Println(r)
		}
	}
	for _, it := range items {
		go func() {
			defer guard()
			_ = work(it)
		}()
	}
}

// The parent protects itself through such a variable; its goroutine does not.
func localGuardInParent(items []int) {
	guard := func() {
		if r := recover(); r != nil {
			log.Println(r)
		}
	}
	defer guard()
	for _, it := range items {
		go func() { // want `localGuardInParent protects itself with a deferred recover \(line \d+\), but the goroutine started on line \d+ has no recover of its own`
			_ = work(it)
		}()
	}
}

type panicErr string

func (e panicErr) Error() string { return string(e) }

type taskResult struct {
	name string
	err  error
}

// runTask turns a panic of the task into an error.
func runTask(name string, task func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = panicErr("task " + name + " panicked")
			log.Println(r)
		}
	}()
	task()
	return nil
}

// The goroutine hands its work to runTask, which recovers, with only bookkeeping around it.
func runAll(tasks map[string]func()) (results []taskResult, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = panicErr("recovered")
			log.Println(r)
		}
	}()
	var wg sync.WaitGroup
	sem := make(chan struct{}, 4)
	results = make([]taskResult, len(tasks))
	i := 0
	for name, task := range tasks {
		wg.Add(1)
		sem <- struct{}{}
		go func(i int) {
			defer wg.Done()
			defer func() { <-sem }()
			results[i] = taskResult{name: name, err: runTask(name, task)}
		}(i)
		i++
	}
	wg.Wait()
	return results, nil
}

// The handler runs in a goroutine of its own, outside the middleware's recover.
func withTimeout(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				log.Printf("panic: %v", v)
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		done := make(chan struct{})
		go func() { // want `the goroutine started on line \d+ has no recover of its own`
			next.ServeHTTP(w, r)
			close(done)
		}()
		<-done
	})
}

// A wrapper that turns a panic of the work into its error.
func safeCall(f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = panicErr("panic")
			_ = r
		}
	}()
	return f()
}

var failures []error

func noteFailure(err error) { failures = append(failures, err) }

// The goroutine hands its work to the wrapper and handles the error it returns.
func viaWrapperChecked() {
	defer handlePanic()
	go func() {
		if err := safeCall(func() error { work(-1); return nil }); err != nil {
			noteFailure(err)
		}
	}()
}

// The work itself runs outside the wrapper, after it.
func besideWrapper() {
	defer handlePanic()
	go func() { // want `besideWrapper protects itself with a deferred recover`
		if err := safeCall(func() error { return nil }); err != nil {
			noteFailure(err)
		}
		work(-1)
	}()
}
