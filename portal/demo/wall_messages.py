"""What colleagues write on the demo wall, per company value (the names in
portal/demo/recognition.py's VALUES): concrete thanks for real-sounding work, short and
long, a few with the wall's Markdown (emphasis, lists, links). No @mentions here: the
recipients are chosen by the loader. Pure data."""

from __future__ import annotations

MESSAGES: dict[str, list[str]] = {
    "Customer first": [
        "Thank you for **sorting this out so quickly** — it saved our week.",
        "Thanks for staying on the phone with Northwind until their whole team could sign "
        "in again. They mentioned you by name in the renewal call.",
        "You turned a furious customer e-mail into a thank-you card. _How?_ Teach us.",
        "Thanks for fixing the payroll file on the Friday before payday. Nobody outside "
        "the team will ever know how close it was, so I am saying it here.",
        "When the printers on the 3rd floor died an hour before the board pack was due, "
        "you had a loan printer running in twenty minutes. Thank you!",
        "Thank you for answering the benefits questions from the Manchester team so "
        "patiently. Three of them told me it was the first time it made sense.",
        "Thanks for calling the customer back *before* they chased us.",
        "The new expenses guide is **so much clearer**. Thanks for listening to our "
        "feedback.",
        "Thank you for:\n\n- spotting the double payment to Vantage\n- getting it back in "
        "two days\n- adding the check so it cannot happen again",
        "Thanks for making time for our visitors from Brightwave on Thursday. The room, "
        "the lunch, the Wi-Fi codes — all ready before we asked.",
        "You rebuilt my laptop while I was at lunch. Everything was where I left it. Magic.",
        "Thank you for explaining our contract terms to the customer in plain English. "
        "The deal closed the same week.",
        "Big thanks for the late-night CSAT fix — the support dashboard was back before "
        "the morning stand-up.",
        "Thanks for the quick turnaround on the contract review. We signed on time!",
        "Thanks for treating the subject access request like it was your own data. "
        "Careful, kind and on time.",
        "You noticed the German invoices had the wrong VAT line before a single customer "
        "did. Thank you for reading the small print.",
        "Really appreciated how you handled that tricky customer call. Calm and kind.",
        "Thank you for the accessible route plan for our visitor's wheelchair — he said it "
        "was the easiest office visit he has had all year.",
        "Thanks for turning around the warehouse access for our new analyst on her first "
        "morning. She ran her first query before lunch.",
        "Thank you for getting my mortgage letter out the same afternoon. We got the house!",
        "Thanks for rewriting the help article on single sign-on. Tickets on it dropped "
        "from twelve a week to two.",
        "Thank you for bringing the customer's feedback to product with names and "
        "examples, not just a summary. It is on the roadmap now.",
        "Thanks for the courier miracle: contracts in Manchester by 9 am.",
        "Thank you for checking in with me a week after my password reset, just to see "
        "that everything still worked. Small thing, big difference.",
        "The webinar on the new release was **brilliant**: clear, short and the customers "
        "asked good questions. Thanks for all the prep.",
        "Thank you for staying calm with the journalist and keeping us out of the story.",
        "Thanks for getting the parking space sorted while my ankle heals. It makes "
        "coming in possible at all.",
        "Thank you for the training session for Northwind's admins — their tickets halved "
        "the following week.",
        "Thanks for sorting the goodwill credit within the hour. The customer stayed.",
        "You answered my tax code question in one message with a link and an example. "
        "Thank you!",
        "Thanks for finding my parcel. It was the birthday present for my mum.",
    ],
    "Own it": [
        "Huge thanks for staying late to get the release out. _Above and beyond._",
        "The data warehouse migration finished over the weekend and **nobody noticed on "
        "Monday**. That is the best compliment a migration can get. Thank you!",
        "Thanks for owning the VPN problem end to end: logs, supplier, new client, and a "
        "note to everyone affected.",
        "Thank you for the phishing clean-up on Tuesday morning. Removed from every "
        "mailbox before most people had their coffee.",
        "You said you would fix the flickering lights by Friday, and on Thursday they "
        "were fixed. Thanks for doing what you said.",
        "Thanks for taking the quarter-end close on when half the team was off sick. The "
        "numbers were in on day three.",
        "Your help with the quarter-end numbers was **brilliant**. Thank you!",
        "Thank you for covering the finance inbox for two weeks. I came back to zero "
        "unanswered e-mails.",
        "Thanks for going back to the payroll supplier *three times* until the overtime "
        "was right. It mattered to a lot of people.",
        "Thank you for running the office move:\n\n1. 140 desks\n2. one weekend\n3. zero "
        "lost monitors\n\nHonestly impressive.",
        "Thanks for the honest post-incident write-up after the outage. No blame, clear "
        "actions, and every action already has a name and a date.",
        "Thank you for chasing the furniture supplier every day until the desks came. "
        "The 4th floor is finally usable.",
        "Thanks for closing the loop on the tailgating report — I did not expect to hear "
        "back, and you told me exactly what changed.",
        "Thank you for finding the miscoded £12k journal. Our budget report finally "
        "makes sense.",
        "You took the badge system upgrade from *plan* to *done* in three weeks, and sent "
        "everyone a one-line e-mail about it. Perfect.",
        "Thanks for fixing the meeting room screens before the all-hands. **Lifesaver.**",
        "Thank you for the 6 am start to get the new payroll provider's first file "
        "through. All 412 payslips were right.",
        "Thanks for staying with the Leeds training day when the trains were cancelled "
        "and running it online instead. The customer loved it.",
        "Thank you for saying \"that one is mine\" about the broken report, and fixing it "
        "the same day.",
        "Thanks for retiring the old file server without losing a single folder. Years of "
        "clutter gone.",
        "Thank you for handling the stolen laptop report so calmly: wiped, replaced and "
        "the DPO briefed within the hour.",
        "Thanks for writing the runbook for the release weekend. Nobody had to call "
        "anyone at 2 am.",
        "Thank you for re-checking every supplier's bank details after the fake invoice "
        "e-mail. That was hours of calls.",
        "Thanks for getting the heating fixed on the coldest day of the year, and for "
        "the fan heaters in the meantime.",
        "Thank you for keeping the tender on schedule even when the scoring meeting moved "
        "twice.",
        "Thanks for taking the support queue over Christmas so the rest of us could be "
        "with our families.",
        "You noticed the certificate was about to expire and renewed it a week early. "
        "_Quiet heroics._",
        "Thanks for driving the contract renewal to signature before the old one ran out. "
        "Two days to spare!",
        "Thank you for the year-end stock count. Cold warehouse, long day, right numbers.",
        "Thanks for sticking with the Salesforce clean-up until every duplicate account "
        "was merged.",
    ],
    "Better together": [
        "Thank you for onboarding our new starter so warmly. _They already feel at home._",
        "Thanks for covering for me while I was off — I came back to everything in order.",
        "Thank you for:\n\n- answering every question patiently\n- following up the next "
        "day\n- making it feel easy",
        "Thanks for lending us two people for the release weekend. We could not have done "
        "it without you.",
        "Thank you for being such a good buddy to Amira in her first month. She says the "
        "coffee walks helped most.",
        "Thanks to everyone who ran the charity 10k on Sunday — **£4,300** for the "
        "hospice!",
        "Thank you for pairing with me on the dashboard query until it made sense. I "
        "learned more in that hour than in the course.",
        "Thanks for joining the Finance and IT workshop and actually agreeing on the new "
        "laptop ordering process. A small miracle.",
        "Thank you for lending us your meeting room when ours flooded. And for the "
        "biscuits.",
        "Thanks for sharing your slide template with the whole sales team. Every pitch "
        "looks the same now, in a good way.",
        "Thank you for translating the top ten help articles into German in your spare "
        "time. Our German customers noticed.",
        "Thanks for inviting Support to the product review. Hearing the customers' words "
        "directly changed the plan.",
        "Thank you for welcoming the graduates with a proper first-day plan, name cards "
        "and all.",
        "Thanks for staying after the town hall to help stack chairs and pack the "
        "cameras. Many hands!",
        "Thank you for connecting me with the right person in Legal — saved me a week of "
        "guessing.",
        "Thanks for organising Pat's retirement lunch. Twenty-five years, celebrated "
        "properly.",
        "Thank you for the hand-over notes before your leave. Clear, short, and every "
        "open item had a next step.",
        "Thanks for the Friday demo session — it is the first time I understood what the "
        "data team actually does.",
        "Thank you for helping the Manchester office feel part of things, with the live "
        "stream and the cake delivery.",
        "Thanks for swapping your on-call week so I could go to my sister's wedding.",
        "Thank you for joining the wellbeing week volunteers. The walking group now has "
        "30 regulars.",
        "Thanks for answering HR's questions about the new survey tool in one call. "
        "Security and HR in the same room works!",
        "Thank you for making our new colleague with low vision feel welcome from day "
        "one: the desk, the screen, the lighting, all ready.",
        "Thanks for the mentoring sessions this quarter. I now run the stand-up myself.",
        "Thank you for pulling the whole team together on the audit. Two weeks of "
        "requests, all answered.",
        "Thanks for being the calm voice in the incident call. Everyone knew what to do.",
        "Thank you for stepping in as note-taker for the board meeting at ten minutes' "
        "notice.",
        "Thanks for running the recruitment fair stand with us in the rain. The "
        "applications came in!",
        "Thank you for sharing the meeting notes in the channel so the New York team did "
        "not have to wait a day.",
        "Thanks for helping Priya set up her laptop and accounts on her first morning "
        "while IT was at the all-hands.",
        "Three teams, one deadline, no drama. Thanks for making the leaver process work "
        "across HR, IT and Facilities.",
    ],
    "Keep learning": [
        "Thank you for sharing what you learned at the conference — the notes were "
        "excellent.",
        "Thanks for explaining the new process so clearly. The [guide](https://example.com"
        "/guide) you wrote is gold.",
        "Thank you for the lunch-and-learn on spotting phishing. Two people reported a "
        "real one the next day.",
        "Thanks for running the SQL basics course for the non-analysts. I wrote my first "
        "query and it worked.",
        "Thank you for writing up the migration lessons learned. *Read it before your "
        "next project*, everyone.",
        "Thanks for the Excel tips session. **Pivot tables** no longer scare me.",
        "Thank you for trying the new retro format with us, and for being honest when it "
        "did not work.",
        "Thanks for recording the onboarding walkthrough. Every new starter in Support "
        "watches it now.",
        "Thank you for the accessibility review of our booking form. We learned a lot "
        "about screen readers.",
        "Thanks for sharing the metrics glossary. Finally one meaning for \"active user\".",
        "Thank you for teaching me the month-end close. Next month I will run it myself.",
        "Thanks for the honest feedback on my first presentation. The second one went "
        "much better.",
        "Thank you for the data protection refresher. Short, practical and full of real "
        "examples.",
        "Thanks for testing the new expenses system and writing down every confusing "
        "screen. The fixes are in.",
        "Thank you for running the Python reading group. Week six and still going!",
        "Thanks for writing the parking rules article in plain English. I finally know "
        "where the motorbikes go.",
        "Thank you for showing the team how to use the password manager. Sticky notes "
        "are gone.",
        "Thanks for teaching us the new design system in one short session. Our slides "
        "look professional now.",
        "Thank you for the negotiation workshop. I used two of the techniques the next "
        "week with a supplier.",
        "Thanks for sharing the trade show notes:\n\n- what customers asked\n- what "
        "competitors showed\n- what we should try next year",
        "Thank you for the calm walkthrough of how the payroll run works. I will never "
        "send a late change again.",
        "Thanks for experimenting with the support chatbot and sharing the numbers, good "
        "and bad.",
        "Thank you for the first-aid training. I hope I never need it, but I feel ready.",
        "Thanks for coaching me through my first tender. I learned how to score fairly.",
        "Thank you for the book recommendation. _Thinking in Systems_ changed how I plan.",
        "Thanks for turning the incident review into a workshop everyone could learn "
        "from.",
        "Thank you for sharing how you cut the dashboard load time from 20 seconds to "
        "two. Clever caching!",
        "Thanks for the Spanish lessons at lunch. Our Madrid customer was delighted.",
        "Thank you for the mentoring on writing clear e-mails. Fewer replies asking what I "
        "meant!",
        "Thanks for showing us how the new VPN client works before rolling it out. No "
        "surprises.",
        "Thank you for running the brown-bag on contract basics. Now I know when to call "
        "Legal.",
    ],
}
# What Erin writes on the demo's newest post, to Ivan and the IT team.
NEWEST = (
    "Thank you for getting my laptop running again before the customer demo. _Above and "
    "beyond_ — and thanks for the tip about saving to the shared drive."
)
