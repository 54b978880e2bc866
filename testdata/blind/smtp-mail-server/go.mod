module example.com/mailsrv

go 1.21
