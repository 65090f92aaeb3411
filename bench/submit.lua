-- wrk script: submit the request form again and again, each time with a fresh form
-- token (so every POST makes a new request), the CSRF token of the signed-in session.
-- Usage: wrk ... -s bench/submit.lua URL -- <csrf token> <form path>
local threads = 0

function setup(thread)
  thread:set("thread_id", threads)
  threads = threads + 1
end

function init(args)
  csrf = args[1]
  path = args[2]
  sent = 0
  math.randomseed(os.time() * 1000 + thread_id)
end

function request()
  sent = sent + 1
  local token = string.format("bench-%d-%d-%d", thread_id, sent, math.random(1, 1000000000))
  local body = "csrf_token=" .. csrf .. "&form_token=" .. token
    .. "&title=Bench+submission&description=Submitted+by+the+load+benchmark&priority=normal"
  -- wrk.format replaces wrk.headers (the -H session cookie) with the table it is given.
  local headers = { ["Content-Type"] = "application/x-www-form-urlencoded" }
  for name, value in pairs(wrk.headers) do headers[name] = value end
  return wrk.format("POST", path, headers, body)
end
