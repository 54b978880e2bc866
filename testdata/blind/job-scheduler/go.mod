module example.com/jobscheduler

go 1.25
