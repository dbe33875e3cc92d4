-- One pandoc process for the whole book: read every author text, make it safe, write HTML.
--
-- Input (stdin, JSON): {"reader": "...", "images": ["images/a.png", ...],
--                       "items": [{"key": "...", "markdown": "...", "inline": false}, ...]}
-- Output (stdout, JSON lines): {"<id>": {"print": "<html>", "epub": "<html>", "dropped": [...]}, ...}
-- for a batch of items at a time, in the order of the input.
--
-- Authors are untrusted. Raw HTML/TeX/attributes are disabled in the reader, which also
-- runs sandboxed (no file access). This walk is the second line of defence: it removes
-- every attribute, every raw element, every link that is not http(s)/mailto and every
-- image that is not one of the book's own checked images. Removals are reported back so
-- the build can tell the editor what it dropped.

local input = pandoc.json.decode(io.read("a"), false)
local allowed_images = {}
for _, path in ipairs(input.images) do allowed_images[path] = true end

local function percent_decoded(text)
  return (text:gsub("%%(%x%x)", function(hex) return string.char(tonumber(hex, 16)) end))
end

local function safe_link(target)
  local t = target:lower():gsub("[%s%c]", "")
  return t:match("^https?://") ~= nil or t:match("^mailto:") ~= nil
end

local function sanitizer(dropped, notes)
  local function drop(what) table.insert(dropped, what) end
  local f = {}
  -- Heading levels: the chapter title is the h1, so an author's headings start at h2 and never
  -- skip a level (# then ### gives h2 then h3): screen readers navigate by level.
  local open = {}  -- the enclosing headings: {as written, as shown}
  f.Note = function() notes.found = true end
  f.RawBlock = function(el) drop("raw " .. el.format .. " block"); return {} end
  f.RawInline = function(el) drop("raw " .. el.format); return {} end
  f.Div = function(el) return el.content end
  f.Span = function(el) return el.content end
  f.Header = function(el)
    el.attr = pandoc.Attr()
    while #open > 0 and open[#open][1] >= el.level do table.remove(open) end
    local shown = #open > 0 and open[#open][2] + 1 or 2
    table.insert(open, {el.level, shown})
    el.level = math.min(shown, 6)
    return el
  end
  f.CodeBlock = function(el) el.attr = pandoc.Attr(); return el end
  f.Code = function(el) el.attr = pandoc.Attr(); return el end
  f.Table = function(el)
    el.attr = pandoc.Attr()
    -- A table written without a header row has a head of empty cells: drop it, so no reader
    -- announces empty column headers.
    local empty = true
    for _, row in ipairs(el.head.rows) do
      for _, cell in ipairs(row.cells) do
        if #cell.contents > 0 then empty = false end
      end
    end
    if empty then el.head = pandoc.TableHead() end
    return el
  end
  f.Figure = function(el) el.attr = pandoc.Attr(); return el end
  f.Link = function(el)
    if safe_link(el.target) then
      el.attr = pandoc.Attr()
      return el
    end
    drop("link to " .. el.target)
    return el.content
  end
  f.Image = function(el)
    if allowed_images[el.src] or allowed_images[percent_decoded(el.src)] then
      el.attr = pandoc.Attr()
      el.title = ""
      return el
    end
    drop("image " .. el.src)
    return el.caption
  end
  return f
end

local function footnotes_in_place(doc)
  -- Print edition: a note becomes a span that CSS floats to the foot of its page.
  return doc:walk({
    Note = function(el)
      return pandoc.Span(pandoc.utils.blocks_to_inlines(el.content), pandoc.Attr("", {"footnote"}))
    end,
  })
end

local function as_inline(doc)
  if #doc.blocks == 1 and doc.blocks[1].t == "Para" then
    doc.blocks[1] = pandoc.Plain(doc.blocks[1].content)
  end
  return doc
end

-- Each pandoc.write call costs about as much as a short chapter, so the print HTML of a batch
-- of items comes from one write, cut apart at markers that only this script can make (authors'
-- raw HTML is off and dropped above, and text "<!--" is escaped by the writer). Print and EPUB
-- differ only in footnotes: items with notes get their own EPUB write (pandoc numbers a
-- document's notes and lists them at its end). Each batch is written as one line of JSON as
-- soon as it is done, so the build can lay out the first chapters while pandoc converts the rest.
local BATCH = 24

local function emit(batch)
  local blocks = {}
  for n, entry in ipairs(batch) do
    blocks[#blocks + 1] = pandoc.RawBlock("html", "<!--anthology:" .. n .. "-->")
    for _, block in ipairs(entry.doc.blocks) do blocks[#blocks + 1] = block end
  end
  blocks[#blocks + 1] = pandoc.RawBlock("html", "<!--anthology:end-->")
  local html = pandoc.write(pandoc.Pandoc(blocks), "html5", {wrap_text = "none"})
  local result, position = {}, 1
  for n, entry in ipairs(batch) do
    local _, after = html:find("<!--anthology:" .. n .. "-->", position, true)
    local next_marker = html:find("<!--anthology:" .. (batch[n + 1] and n + 1 or "end") .. "-->", after + 1, true)
    local text = html:sub(after + 1, next_marker - 1):gsub("^\n", ""):gsub("\n$", "")
    result[entry.key] = {print = text, epub = entry.epub or text, dropped = entry.dropped}
    position = next_marker
  end
  io.write(pandoc.json.encode(result), "\n")
  io.stdout:flush()
end

local batch = {}
for _, item in ipairs(input.items) do
  local dropped = {}
  local doc = pandoc.read(item.markdown, input.reader, {}, {})
  doc.meta = {}
  local notes = {found = false}
  doc = doc:walk(sanitizer(dropped, notes))
  if item.inline then doc = as_inline(doc) end
  local entry = {key = item.key, dropped = dropped}
  if notes.found then
    entry.epub = pandoc.write(doc, "html5", {identifier_prefix = item.key .. "-", wrap_text = "none"})
    doc = footnotes_in_place(doc)
  end
  entry.doc = doc
  batch[#batch + 1] = entry
  if #batch == BATCH then
    emit(batch)
    batch = {}
  end
end
if #batch > 0 then emit(batch) end
