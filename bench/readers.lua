-- wrk script: every request as another signed-in reader, so what is kept per reader is
-- cold (as on each colleague's first view of the wall) and only what is shared is warm.
-- Usage: wrk ... -s bench/readers.lua URL -- <file of session cookies, one a line>
local threads = 0

function setup(thread)
  thread:set("thread_id", threads)
  threads = threads + 1
end

function init(args)
  cookies = {}
  for line in io.lines(args[1]) do
    cookies[#cookies + 1] = line
  end
  -- Two threads walk the list from opposite halves, so no reader is sent twice early on.
  next_reader = 1 + thread_id * math.floor(#cookies / 2)
end

function request()
  local cookie = cookies[next_reader]
  next_reader = next_reader % #cookies + 1
  local headers = {}
  for name, value in pairs(wrk.headers) do headers[name] = value end
  headers["Cookie"] = "session=" .. cookie
  return wrk.format("GET", nil, headers)
end
