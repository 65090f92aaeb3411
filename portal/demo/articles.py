"""The demo's help articles (issue 14): what each department would really write down.

Data only (loaded by portal/demo/knowledge.py). Each article: department, slug, title,
summary, services (slugs of the department's own), keywords, "review by" in days from
today (negative: overdue, shown to readers as possibly out of date), audience, body
(Markdown), and `earlier`: replacements that turn the body back into its first revision
(new text, old text), for articles with a history."""

from __future__ import annotations

ARTICLES: list[dict] = [
    # IT -----------------------------------------------------------------------------
    {
        "department": "it",
        "slug": "set-up-an-office-printer",
        "title": "Set up an office printer",
        "summary": "Add the floor printers to your laptop and print with your badge.",
        "services": ["software-install", "device-repair"],
        "keywords": "printer, printing, print, toner, scanner, follow-me",
        "review_in": 120,
        "body": """All office printers use **Follow-Me printing**: you send to one queue and
collect your pages at any printer by tapping your badge.

## Windows
1. Open **Settings → Bluetooth & devices → Printers & scanners**.
2. Choose **Add device**, wait a few seconds, then pick **FollowMe-Office**.
3. If it is not listed, choose **Add manually** and type `\\\\print01\\FollowMe`.

## Mac
1. Open **System Settings → Printers & Scanners → Add Printer**.
2. Pick **FollowMe-Office** (kind: *Secure Print*), then **Add**.
3. Sign in with your work e-mail and password the first time you print.

## Collecting your print
Tap your badge on the reader beside any printer and choose **Print all**. Jobs you do not
collect are deleted after 24 hours.

## Still stuck?
- *“Printer offline”*: restart the laptop while connected to office Wi-Fi or the VPN.
- Paper jams and empty toner: tell reception, they keep the spares.
- Anything else: ask the service desk below.""",
        "earlier": [("`\\\\print01\\FollowMe`", "`\\\\print-old\\Queue`")],
    },
    {
        "department": "it",
        "slug": "connect-to-the-vpn-from-home",
        "title": "Connect to the VPN from home",
        "summary": "Reach internal systems from home or a hotel with GlobalProtect.",
        "services": ["wifi-vpn"],
        "keywords": "vpn, remote, home working, globalprotect, working from home",
        "review_in": 90,
        "body": """You need the VPN for the finance system, shared drives and anything with
`.internal` in its address. E-mail, chat and the intranet work without it.

1. Open **GlobalProtect** (the globe icon in the menu bar or system tray).
2. Portal address: `vpn.example.com` (already filled in on company laptops).
3. Choose **Connect** and approve the sign-in request on your phone.
4. The icon shows a shield when you are connected.

**Tips**
- Connect *after* joining your home Wi-Fi, not before.
- On hotel or café Wi-Fi, open a web page first and accept their terms.
- The VPN disconnects after 12 hours: connect again in the morning.

Not installed? Open **Company Portal** and install *GlobalProtect*.""",
        "earlier": [("**GlobalProtect**", "**AnyConnect**"), ("install *GlobalProtect*", "install *AnyConnect*")],
    },
    {
        "department": "it",
        "slug": "vpn-keeps-disconnecting",
        "title": "VPN keeps disconnecting",
        "summary": "What to check when the VPN drops every few minutes.",
        "services": ["wifi-vpn"],
        "keywords": "vpn dropping, disconnects, unstable connection, slow vpn",
        "review_in": 60,
        "body": """Most drops come from the connection underneath the VPN. Work through these
in order and test for ten minutes after each:

1. **Move closer to your router** or use a cable. The VPN drops when Wi-Fi signal does.
2. **Turn off other VPNs** or privacy apps (they fight over the same network settings).
3. **Restart GlobalProtect**: right-click the icon, *Disable*, wait 10 seconds, *Enable*.
4. **Update**: Company Portal → Updates → install everything, then restart.
5. **Try your phone's hotspot** for a few minutes. If it is stable there, the problem is
   your home connection; your internet provider can help.

If it still drops, ask us and tell us the times it dropped and the network you used
(home, hotel, hotspot). That saves a round of questions.""",
    },
    {
        "department": "it",
        "slug": "reset-your-password",
        "title": "Reset your password",
        "summary": "Change a forgotten or expired password yourself in two minutes.",
        "services": ["password-reset"],
        "keywords": "forgot password, locked out, expired password, account locked",
        "review_in": 150,
        "body": """You can reset it yourself at **passwords.example.com** from any device,
including your phone.

1. Enter your work e-mail address.
2. Approve the request on your authenticator app (or use a code sent by text).
3. Choose a new password: at least **14 characters**. Three unrelated words work well.

**Locked out after too many tries?** The lock lifts after 15 minutes on its own.

**After a reset**, sign in again on your phone's mail app and on the Wi-Fi when asked.

Lost your phone as well? You cannot approve the reset: ask the service desk, and bring
your badge to the IT desk on the 2nd floor if you are in the office.""",
    },
    {
        "department": "it",
        "slug": "multi-factor-authentication-on-a-new-phone",
        "title": "Move multi-factor sign-in to a new phone",
        "summary": "Do this before you wipe or trade in the old phone.",
        "services": ["password-reset", "mobile-phone"],
        "keywords": "mfa, 2fa, authenticator, new phone, two-factor",
        "review_in": 150,
        "body": """Keep the **old phone** until the last step.

1. Install **Microsoft Authenticator** on the new phone.
2. On a computer, go to **mysignins.example.com → Security info**.
3. Choose **Add sign-in method → Authenticator app** and scan the code with the new phone.
4. Approve the test notification, then set the new phone as the **default**.
5. Delete the old phone from the list. Now you can reset the old phone.

Already wiped the old phone? Ask us for a **temporary access pass**; we will call you
on a number we already have to check it is you.""",
    },
    {
        "department": "it",
        "slug": "outlook-not-syncing",
        "title": "Outlook is not syncing or says the mailbox is full",
        "summary": "Quick fixes for missing e-mail, stuck outboxes and full mailboxes.",
        "services": ["software-install"],
        "keywords": "outlook, email, e-mail, mailbox full, not receiving, calendar",
        "review_in": 90,
        "body": """**Check the web first**: open outlook.office.com. If your mail is there,
the problem is the app on your laptop, not your mailbox.

## The app is stuck
1. Look at the bottom bar: *Working offline* means **Send/Receive → Work Offline** is on.
2. Quit Outlook completely and open it again.
3. Still stuck: Company Portal → *Outlook repair* → run it (takes 5 minutes).

## Mailbox full (50 GB)
- Empty **Deleted Items** and **Junk**.
- Search `size:>10MB`, save the attachments you need to OneDrive, delete the e-mails.
- Turn on **Online Archive**: old mail moves there and still shows in search.

Shared mailboxes are managed by their owners: ask the owner to be added.""",
    },
    {
        "department": "it",
        "slug": "laptop-broken-or-damaged",
        "title": "Laptop broken, damaged or will not start",
        "summary": "What to try first and how to get a loan laptop the same day.",
        "services": ["device-repair"],
        "keywords": "cracked screen, broken laptop, won't turn on, spilled, keyboard, battery",
        "review_in": 120,
        "body": """**Will not start?** Plug in the charger for 15 minutes, then hold the power
button for 15 seconds and press it again. A flat battery is the most common cause.

**Spilled a drink?** Turn it off at once, unplug it, turn it upside down and ask us. Do
not try to dry it with a hair dryer.

**Cracked screen, broken hinge or keys**: ask for a repair below. We swap your laptop
for a **loan laptop** at the IT desk (2nd floor) the same day; your files are in
OneDrive, so you can carry on working.

Repairs take 3–5 working days. Accidental damage is covered; you do not pay for it.""",
    },
    {
        "department": "it",
        "slug": "new-laptop-what-to-expect",
        "title": "Getting a new laptop: what to expect",
        "summary": "Who can order one, how long it takes and how to move your files.",
        "services": ["new-laptop"],
        "keywords": "laptop refresh, replacement, new starter laptop, macbook, developer laptop",
        "review_in": 180,
        "body": """Laptops are replaced **every four years**, or sooner when broken beyond repair.

| Model | For | Lead time |
|---|---|---|
| Standard (14") | most roles | 3 working days |
| Developer (16", 32 GB) | engineering, data | 5 working days |

**For a new starter**, the manager asks at least **3 working days** before the first day.

**Moving to a new laptop**: everything in OneDrive and e-mail comes across on its own.
Copy anything saved only on the desktop to OneDrive first. Bring the old laptop and
charger when you collect the new one; we wipe and recycle it.""",
    },
    {
        "department": "it",
        "slug": "guest-wifi",
        "title": "Wi-Fi for visitors",
        "summary": "How guests get on the internet in the office.",
        "services": ["wifi-vpn"],
        "keywords": "guest wifi, visitor internet, wifi password",
        "review_in": -20,
        "body": """Visitors use the **Example-Guest** network. Reception prints a daily code
on the visitor badge; it works for 12 hours on up to three devices.

Staff devices should use **Example-Staff** (it signs in with your work account) and never
the guest network: internal systems are not reachable from it.

For an event with more than 20 guests, ask us two days ahead for an event code.""",
    },
    {
        "department": "it",
        "slug": "service-desk-triage-guide",
        "title": "Service desk triage guide",
        "summary": "How the IT desk sets priorities (for IT staff).",
        "services": [],
        "keywords": "triage, priority, on call",
        "review_in": 60,
        "audience": "department",
        "body": """**Urgent**: several people cannot work, or a security risk (lost laptop,
suspected compromise). Phone the on-call engineer at once.

**High**: one person cannot work at all (cannot sign in, laptop dead).

**Normal**: everything that slows someone down but has a workaround.

**Low**: requests and questions with no deadline.

Reply within the first-response promise even if you cannot fix it yet: say what you are
doing next and when you will write again.""",
    },
    # HR -----------------------------------------------------------------------------
    {
        "department": "hr",
        "slug": "holiday-allowance-and-booking-leave",
        "title": "Holiday allowance and booking leave",
        "summary": "How many days you get, how to book them and what happens to unused days.",
        "services": ["leave-question"],
        "keywords": "holiday, annual leave, vacation, days off, time off, carry over",
        "review_in": 200,
        "body": """**Allowance**: 25 days a year plus public holidays, rising by one day for
each full year of service up to 30. Part-time colleagues get the same pro rata.

The holiday year runs **1 January – 31 December**.

## Booking
1. Open **People → Time off → Request** and pick the dates.
2. Your manager approves it; you get an e-mail.
3. Book at least **two weeks ahead** for a week or more, so cover can be arranged.

## Unused days
You can carry over **up to 5 days** into the next year; use them by 31 March. Days
beyond that are lost unless you could not take them because of sickness or parental
leave.

Leaving? Untaken days are paid in your last salary.""",
        "earlier": [("**Allowance**: 25 days", "**Allowance**: 23 days"), ("up to 30", "up to 28")],
    },
    {
        "department": "hr",
        "slug": "understanding-your-payslip",
        "title": "Understanding your payslip",
        "summary": "What each line means, when you are paid and what to check.",
        "services": ["payslip-question"],
        "keywords": "payslip, pay slip, salary, tax code, deductions, national insurance, pay day",
        "review_in": 150,
        "body": """**Pay day** is the last working day of the month. Payslips appear in
**People → Pay** two days earlier.

| Line | What it is |
|---|---|
| Basic pay | your annual salary ÷ 12 |
| Overtime / allowances | last month's approved claims |
| Income tax | based on your **tax code** (1257L is the usual one) |
| National Insurance | set by the government, not by us |
| Pension | your contribution (see the pension article) |
| Expenses | approved claims, not taxed |

**Check** your tax code and that last month's expenses are there.

A tax code that looks wrong comes from HMRC: ask them first on 0300 200 3300. For
anything else, ask payroll below by the **20th** so we can correct it in the same month.""",
    },
    {
        "department": "hr",
        "slug": "pension",
        "title": "Your pension: joining, contributions and opting out",
        "summary": "You are enrolled automatically; here is what we pay and how to change it.",
        "services": ["benefits-enquiry"],
        "keywords": "pension, retirement, contributions, salary sacrifice, opt out",
        "review_in": 200,
        "body": """Everyone joins the company pension scheme (with **Aviva**) in their first month.

- **You pay 5%** of your salary, **we pay 6%**.
- Pay up to 8% and we match it up to 8%.
- Contributions are by **salary sacrifice**: you pay less tax and National Insurance.

## Changing your contribution
Log in to **MyAviva**, or ask HR below; changes apply from the next pay day.

## Opting out
You can opt out within a month of joining and get back what you paid. After that you can
stop contributing, but what is saved stays in your pot. We will re-enrol you every three
years, as the law requires.

Questions about your pot or investments go to Aviva: 0800 068 6800.""",
    },
    {
        "department": "hr",
        "slug": "sick-leave",
        "title": "Off sick: what to do",
        "summary": "Who to tell, when you need a fit note and how you are paid.",
        "services": ["leave-question"],
        "keywords": "sick, ill, sickness, fit note, doctor, absence",
        "review_in": 180,
        "body": """1. **Tell your manager** by phone or message before your usual start time.
2. **Record it** in People → Time off → *Sickness* when you are back (or your manager does).
3. From the **8th day** in a row (weekends included) you need a **fit note** from your
   doctor. Upload a photo of it to People.

**Pay**: full pay for up to 20 days in any 12 months, then statutory sick pay.

Coming back after a week or more, your manager will have a short return-to-work chat
with you: it is about what would help, not a check.

Ill on holiday? Tell your manager: those days become sick days and you keep the holiday.""",
    },
    {
        "department": "hr",
        "slug": "new-starter-checklist",
        "title": "New starter checklist for managers",
        "summary": "What to arrange, and when, so your new colleague can work on day one.",
        "services": ["new-hire-onboarding"],
        "keywords": "onboarding, new hire, new joiner, first day, induction",
        "review_in": 100,
        "body": """**As soon as the offer is accepted**
- Ask HR to onboard them (this page's *Still need help?*): contract, payroll, systems.

**At least 3 working days before**
- Order their laptop from IT.
- Ask Facilities for a desk and a badge (the badge photo is taken on day one).

**The week before**
- Send them a welcome note: time, place, who meets them.
- Put a 30-minute chat with you in the diary for every day of the first week.
- Pick a buddy from another team.

**Day one**
- Collect the laptop from the IT desk together, 9:30.
- Walk them round: kitchen, fire exits, first aiders.

**First month**: set three goals together and book the 30-day review.""",
        "earlier": [("**At least 3 working days before**", "**A week before**")],
    },
    {
        "department": "hr",
        "slug": "leaving-the-company",
        "title": "Leaving the company: your last weeks",
        "summary": "Notice, your final pay, returning equipment and your references.",
        "services": ["leaver"],
        "keywords": "leaving, leaver, resign, resignation, notice period, last day, quitting",
        "review_in": 200,
        "body": """**Resigning**: tell your manager, then confirm it in writing (an e-mail is
enough). Your notice period is in your contract, usually one month.

**Your final pay** includes salary to your last day, untaken holiday and approved
expenses. Your P45 follows by e-mail within two weeks.

**On your last day**, return your laptop, phone, badge and corporate card to your
manager or the IT desk. Copy personal files off beforehand: access ends at 18:00.

**References**: we confirm your dates and job title; ask your manager if you would like a
personal reference too.

Managers: ask HR below when someone resigns so we can plan the leaving date, equipment
and access removal.""",
    },
    {
        "department": "hr",
        "slug": "parental-leave",
        "title": "Maternity, paternity and shared parental leave",
        "summary": "What you are entitled to and when to tell us.",
        "services": ["leave-question", "benefits-enquiry"],
        "keywords": "maternity, paternity, parental leave, adoption, baby, pregnancy",
        "review_in": 250,
        "body": """**Maternity and adoption**: up to 52 weeks. We pay **full pay for 16 weeks**,
then statutory pay to week 39.

**Paternity and partner's leave**: 4 weeks at full pay, taken in the first year.

**Shared parental leave**: parents can share up to 50 weeks; our full-pay weeks apply.

**When to tell us**: at least 15 weeks before the due date (or as soon as you are
matched for adoption). Ask HR below and we will book a meeting to plan your leave,
keeping-in-touch days and your return.

Time off for antenatal appointments is paid, for both parents.""",
    },
    {
        "department": "hr",
        "slug": "employment-letter",
        "title": "Getting a letter confirming your employment",
        "summary": "For a mortgage, a rental or a visa: what we can confirm and how fast.",
        "services": ["employment-letter"],
        "keywords": "employment letter, proof of employment, mortgage, reference letter, visa letter",
        "review_in": 200,
        "body": """We can confirm your **start date, job title, contract type and salary**.

Ask below and say who it is for and whether they need salary. Letters are signed and
sent as a PDF within **2 working days**. Most lenders and landlords accept the PDF.

Need it on paper or sent directly to a lender? Add their address; allow 5 working days.

Your last three payslips are in People → Pay if they ask for those as well.""",
    },
    # Facilities ---------------------------------------------------------------------
    {
        "department": "facilities",
        "slug": "parking-rules",
        "title": "Parking rules and permits",
        "summary": "Who can park, how to get a permit and where visitors park.",
        "services": ["parking-permit"],
        "keywords": "parking, car park, permit, bike, electric car, ev charging, visitor parking",
        "review_in": -45,
        "body": """The car park has 60 spaces, so permits go first to:
1. Blue Badge holders (always, no waiting);
2. people whose journey is over an hour by public transport;
3. everyone else, in turns of three months.

**Apply** below with your number plate. Permits are digital: the barrier reads your plate.

**Rules**: park in marked bays only, 7:00–20:00. Overnight parking needs permission.
The four **EV chargers** are for 3 hours at a time; move your car when it is charged.

**Visitors**: book a visitor space with reception a day ahead.

**Bikes**: 40 covered racks by the side door, showers on the ground floor. No permit
needed.""",
    },
    {
        "department": "facilities",
        "slug": "booking-a-meeting-room",
        "title": "Booking a meeting room",
        "summary": "Book from Outlook, what the rooms hold and what to do when the screen fails.",
        "services": ["meeting-room"],
        "keywords": "meeting room, book a room, conference room, boardroom, video call",
        "review_in": 120,
        "body": """Book rooms in **Outlook**: new meeting → **Room finder** → pick a room that
is free. The booking is confirmed within a minute.

| Room | Seats | Screen |
|---|---|---|
| Thames (3rd) | 12 | two screens, conference camera |
| Severn (3rd) | 6 | screen, camera |
| Focus rooms 1–4 (2nd) | 2 | screen |

**Rooms not used for 15 minutes are released** automatically.

For the boardroom, catering or more than 20 people, ask us below at least 3 working
days ahead.

Screen or camera not working? Press the *Help* button on the room's tablet: it calls the
IT desk.""",
    },
    {
        "department": "facilities",
        "slug": "report-a-building-fault",
        "title": "Report a building fault",
        "summary": "Leaks, lights, heating, lifts: what is urgent and who to call.",
        "services": ["building-repair"],
        "keywords": "repair, broken, leak, heating, air conditioning, lights, lift, toilet",
        "review_in": 150,
        "body": """**Urgent (phone now: +44 20 7946 0301)**: water leaks, no power, a stuck lift,
anything unsafe. Out of hours, call the security desk (24/7).

**Everything else**: ask below with the floor, the room or nearest desk number and a
photo if you can. We reply the same working day.

Too hot or too cold? Each floor has its own thermostat, set to 21 °C. Tell us the area;
please do not prop doors open, it upsets the whole floor's air.""",
    },
    {
        "department": "facilities",
        "slug": "desk-setup-and-ergonomics",
        "title": "Desk set-up and ergonomic assessment",
        "summary": "Set up your desk in five minutes, and get equipment if you need it.",
        "services": ["desk-setup"],
        "keywords": "desk, chair, monitor, ergonomics, back pain, standing desk, dse",
        "review_in": 180,
        "body": """**Set it up yourself**
1. Chair: feet flat, knees a little lower than hips, back supported.
2. Screen: an arm's length away, top of the screen at eye level.
3. Keyboard and mouse close, elbows at your sides.
4. Stand up and move every hour.

**Need more?** Complete the 10-minute **display screen assessment** in People →
Learning. If it flags anything, ask us below: we provide footrests, screen risers,
different chairs and standing desks, and arrange an assessment with an occupational
therapist when needed.

Working from home: the same assessment applies, and we can send a chair or a screen.""",
    },
    {
        "department": "facilities",
        "slug": "post-and-deliveries",
        "title": "Post and deliveries",
        "summary": "Collecting parcels, sending post and what not to send to the office.",
        "services": ["post-deliveries"],
        "keywords": "post, parcel, delivery, courier, mail room, personal deliveries",
        "review_in": 200,
        "body": """Incoming post and parcels are logged at **reception**; you get an e-mail
when something arrives. Collect it within 5 working days.

**Sending**: leave franked post in the tray at reception before 15:00. For couriers,
ask below with the size, weight and address; we book it on the team's cost centre.

**Personal deliveries**: small parcels are fine. Please no furniture, food deliveries or
anything needing a signature after 17:00.""",
    },
    # Finance ------------------------------------------------------------------------
    {
        "department": "finance",
        "slug": "expenses-policy",
        "title": "Expenses policy: what you can claim",
        "summary": "Limits for travel, hotels and meals, and what is never paid back.",
        "services": ["expense-claim"],
        "keywords": "expenses, claim, reimbursement, travel costs, meals, hotel, mileage, receipts",
        "review_in": 150,
        "body": """Claim what you spent **on company business**, within these limits:

| Cost | Limit |
|---|---|
| Train | standard class; first class over 3 hours |
| Flights | economy; premium economy over 6 hours |
| Hotel | £180 a night in London, £130 elsewhere in the UK |
| Meals when travelling | £30 a day |
| Own car | 45p a mile |
| Client entertainment | £60 a head, with the guests' names |

**Never paid back**: alcohol without a client, fines, upgrades you chose, personal
items, tips over 10%.

Every claim needs a **receipt** (a photo is fine). Claims older than **three months** are
not paid.""",
        "earlier": [("£30 a day", "£25 a day"), ("£180 a night in London", "£160 a night in London")],
    },
    {
        "department": "finance",
        "slug": "how-to-submit-an-expense-claim",
        "title": "How to submit an expense claim",
        "summary": "From receipt to your bank account in about a week.",
        "services": ["expense-claim"],
        "keywords": "submit expenses, expense report, receipts, reimbursement, claim form",
        "review_in": 150,
        "body": """1. Photograph the receipt on the day (the **Expenses** app reads the amount).
2. Pick the category and the **cost centre** (your team's is prefilled).
3. Add who was there for meals and entertainment.
4. Submit: your manager approves it, then Finance checks it.

Claims approved by the **20th** are paid with that month's salary; later ones the month
after. Urgent and over £500? Ask below and we can pay it within the week.

Lost a receipt? Add a note explaining what it was; a card statement line helps.""",
    },
    {
        "department": "finance",
        "slug": "corporate-card",
        "title": "Corporate card: rules, limits and lost cards",
        "summary": "Who gets a card, what it is for and what to do if it is lost.",
        "services": ["corporate-card"],
        "keywords": "corporate card, company credit card, amex, card limit, lost card, stolen card",
        "review_in": 180,
        "body": """Cards are for people who travel or buy for the team at least monthly. Your
manager asks for one below. Standard limit: **£2,000 a month**.

**Use it for** travel, hotels, meals when travelling and small purchases under £500 that
are not on a supplier contract. **Never** for personal spending, even paid back later.

**Every month**: match each transaction to a receipt in the Expenses app by the 5th.

**Lost or stolen?** Freeze it in the bank's app at once, or call the 24/7 number on the
back of your statement, then tell us below so we can order a new one.""",
    },
    {
        "department": "finance",
        "slug": "getting-an-invoice-paid",
        "title": "Getting a supplier invoice paid",
        "summary": "Why invoices need a purchase order, and our payment terms.",
        "services": ["invoice-payment"],
        "keywords": "invoice, supplier payment, accounts payable, po number, unpaid invoice",
        "review_in": 150,
        "body": """We pay invoices **30 days** after we receive them, on Tuesdays and Fridays.

For a quick payment the invoice must:
- quote a **purchase order number** (raise the order before the work starts);
- be addressed to Example Ltd, with our VAT number;
- be sent by the supplier to **ap@example.com** as a PDF.

An invoice without a PO number is returned to the supplier. A supplier chasing payment?
Ask below with the invoice number and we will tell you its status the same day.""",
    },
    {
        "department": "finance",
        "slug": "travel-advances",
        "title": "Travel advances",
        "summary": "Cash ahead of a trip when a corporate card will not do.",
        "services": ["travel-advance"],
        "keywords": "travel advance, per diem, cash advance, foreign currency",
        "review_in": 200,
        "body": """If you travel without a corporate card, or to a place where cards are not
accepted, you can ask for an advance of up to **£1,000**.

Ask at least **5 working days** before you travel with the trip dates and an estimate.
It is paid into your bank account.

Within two weeks of coming back, submit your expense claim against the advance; any
amount not spent is taken from your next salary.""",
    },
    # Legal --------------------------------------------------------------------------
    {
        "department": "legal",
        "slug": "when-do-you-need-an-nda",
        "title": "When do you need an NDA?",
        "summary": "Before you share anything confidential with a partner, supplier or candidate.",
        "services": ["nda"],
        "keywords": "nda, non-disclosure agreement, confidentiality agreement, partner, mutual nda",
        "review_in": 200,
        "body": """You need a signed NDA **before** sharing anything not public: prices,
roadmaps, customer data, source code, financial results.

**Use our template**: a *mutual* NDA for partners and suppliers, a *one-way* NDA when
only we share. Both are in the Legal templates folder and need no review if unchanged.

**Ask us below** when the other side wants to use their own paper, changes our template,
or the information includes personal data (then you also need a data processing
agreement).

NDAs are signed by a director; we arrange the e-signature.""",
    },
    {
        "department": "legal",
        "slug": "getting-a-contract-reviewed",
        "title": "Getting a contract reviewed",
        "summary": "What we need from you and how long a review takes.",
        "services": ["contract-review"],
        "keywords": "contract review, agreement, terms and conditions, msa, sign contract",
        "review_in": 150,
        "body": """Send us the contract **in Word**, not PDF, with:
- who the other party is and what we buy or sell;
- the value per year and the length;
- the date you need it signed, and why.

| Contract | Review time |
|---|---|
| Our standard terms, unchanged | 1 working day |
| Supplier's terms, under £50k a year | 5 working days |
| Anything larger or unusual | 10 working days |

Do not sign anything yourself: only directors may commit the company.""",
    },
    {
        "department": "legal",
        "slug": "personal-data-basics",
        "title": "Personal data at work: the basics",
        "summary": "Five rules that keep customers' and colleagues' data safe and legal.",
        "services": ["data-protection"],
        "keywords": "gdpr, personal data, privacy, data protection, dpo",
        "review_in": 200,
        "body": """1. **Collect only what you need** for a clear purpose.
2. **Keep it in company systems**, never in personal e-mail or on USB sticks.
3. **Share on a need-to-know basis**, and never outside the company without a contract.
4. **Delete it when done**: follow the retention schedule.
5. **Report a breach at once**: anything lost, sent to the wrong person or accessed
   without permission. We have 72 hours to tell the regulator.

Starting something new with personal data (a new tool, a survey, a supplier)? Ask us
below: we may need a data protection impact assessment.""",
    },
    {
        "department": "legal",
        "slug": "subject-access-requests",
        "title": "Someone asked for a copy of their data",
        "summary": "How to handle a subject access request: we have one month.",
        "services": ["data-protection"],
        "keywords": "subject access request, sar, data request, right of access, gdpr request",
        "review_in": -10,
        "body": """Anyone can ask for a copy of the personal data we hold about them, in any
words and through any channel. The law gives us **one calendar month**.

1. Do not reply with data yourself.
2. Forward the request to us below the same day, with the date it arrived.
3. We confirm the person's identity and tell you what to search.

Requests to delete data or stop using it are handled the same way.""",
    },
    # Procurement --------------------------------------------------------------------
    {
        "department": "procurement",
        "slug": "raising-a-purchase-order",
        "title": "Raising a purchase order",
        "summary": "Every purchase over £500 needs a PO before the work starts.",
        "services": ["purchase-order"],
        "keywords": "purchase order, po, buy, order, requisition, approval",
        "review_in": 150,
        "body": """**Over £500?** Raise a PO before you agree anything with the supplier.

1. Ask below with the supplier, the amount (without VAT), the cost centre and a quote.
2. Your budget holder approves it; over £25,000 the finance director does too.
3. We send the PO to the supplier. They must quote its number on the invoice.

Under £500 you can use a corporate card or an expense claim.

New supplier? They need to be set up first: see *Adding a new supplier*.""",
    },
    {
        "department": "procurement",
        "slug": "adding-a-new-supplier",
        "title": "Adding a new supplier",
        "summary": "The checks we run and how long set-up takes.",
        "services": ["new-supplier"],
        "keywords": "new supplier, vendor onboarding, supplier setup, due diligence",
        "review_in": 150,
        "body": """Before we can order from a new supplier we check who they are and that
they can be paid safely.

**You send us**: the supplier's name, contact e-mail, what you will buy and the expected
spend a year.

**They fill in** our supplier form (bank details on their letterhead, insurance and, for
data or IT services, our security questionnaire).

Set-up takes **5 working days** once their form is complete. Check first whether an
existing supplier already offers the same thing: we may have a better price.""",
    },
    {
        "department": "procurement",
        "slug": "buying-software",
        "title": "Buying software or a subscription",
        "summary": "Check the list first: we may already have a licence for you.",
        "services": ["software-purchase"],
        "keywords": "software, saas, subscription, licence, license, app purchase",
        "review_in": 120,
        "body": """1. **Check Company Portal**: approved software installs at once, free to you.
2. Not there? Ask below with the product, the number of users and what it is for.
3. IT Security reviews anything that holds company or customer data.
4. We buy it on the company account: **do not** put subscriptions on a personal or
   corporate card, they are hard to cancel and not security-checked.

Free tools and trials count too if you sign in with your work e-mail.""",
    },
    # Security -----------------------------------------------------------------------
    {
        "department": "security",
        "slug": "spotting-phishing",
        "title": "Spotting phishing e-mails",
        "summary": "The signs of a fake e-mail, and what to do if you clicked.",
        "services": ["phishing"],
        "keywords": "phishing, scam, suspicious email, fake email, spam, clicked a link",
        "review_in": 120,
        "body": """**Be suspicious when an e-mail**
- is urgent or threatening (“your account closes today”);
- asks you to sign in, pay, or change bank details;
- comes from a name you know but an odd address;
- has an attachment you did not expect.

Hover over links before clicking: the address shown at the bottom of the window is
where it really goes.

**Report it**: use the **Report phishing** button in Outlook. That is all: no need to
forward it.

**Clicked or typed your password?** Nobody will blame you. Change your password at once
(see *Reset your password*) and report it below straight away: the first hour matters.""",
        "earlier": [("use the **Report phishing** button in Outlook. That is all: no need to\nforward it.", "forward it to phishing@example.com.")],
    },
    {
        "department": "security",
        "slug": "lost-or-stolen-device",
        "title": "Lost or stolen laptop or phone",
        "summary": "Report it within the hour, even at night: we can wipe it remotely.",
        "services": ["report-incident"],
        "keywords": "lost laptop, stolen phone, theft, lost device, wipe",
        "review_in": 150,
        "body": """1. **Call the security desk now: +44 20 7946 0999** (24/7). We lock and wipe
   the device remotely.
2. If stolen, report it to the police and note the crime reference.
3. Report it below too, with where and when.

Because laptops are encrypted, a lost device is rarely a data breach if reported quickly.
IT will give you a loan laptop; your files are safe in OneDrive.""",
    },
    {
        "department": "security",
        "slug": "travelling-abroad-with-work-devices",
        "title": "Travelling abroad with work devices",
        "summary": "Where you can take your laptop, and what to do at borders.",
        "services": ["travel-security"],
        "keywords": "travel, abroad, international travel, border, laptop travel, roaming",
        "review_in": 90,
        "body": """**Tell us 5 working days before** travelling outside the UK and EU. For some
countries we lend you a clean travel laptop and phone.

**On the trip**
- Keep devices with you: never in checked luggage or left in a hotel room.
- Use the VPN on all hotel and public Wi-Fi.
- Do not plug into USB chargers in public places; use your own plug.

**At the border**, if asked to unlock a device, comply and tell us afterwards: we will
check it and change your passwords.""",
    },
    {
        "department": "security",
        "slug": "lost-access-badge",
        "title": "Lost or forgotten access badge",
        "summary": "Get a day pass at reception; report a lost badge so it is switched off.",
        "services": ["access-badge"],
        "keywords": "badge, lost badge, access card, id card, door access, forgot badge",
        "review_in": 200,
        "body": """**Forgot it?** Reception gives you a day pass after checking your photo ID.

**Lost it?** Report it below at once: we switch the old badge off and print a new one
by the next working day. Collect it from reception.

Badges also unlock printers and the car park barrier, so report a loss even if you work
from home.""",
    },
    # Communications -----------------------------------------------------------------
    {
        "department": "communications",
        "slug": "getting-a-story-on-the-intranet",
        "title": "Getting a story on the intranet",
        "summary": "What makes a good story and how to send it to us.",
        "services": ["intranet-news"],
        "keywords": "intranet news, story, article, announcement, newsletter",
        "review_in": 150,
        "body": """We publish news on **Tuesdays and Thursdays**.

**Send us** (below): a headline, 150–400 words, one good photo (landscape, with the
names of the people in it) and who to contact for questions.

**Good stories** say what changed, why it matters to colleagues and what they should do.
Team wins and thank-yous are better on the wall.

Time-critical (an office closure, a system outage)? Mark it urgent and we publish the
same day.""",
    },
    {
        "department": "communications",
        "slug": "logo-and-brand-templates",
        "title": "Using the logo and brand templates",
        "summary": "Where to find the logo, fonts and slide templates.",
        "services": ["brand-design"],
        "keywords": "logo, brand, template, powerpoint, slides, fonts, colours",
        "review_in": 180,
        "body": """Everything is in **Brand hub → Downloads**: logos (colour, white, black),
slide templates, letterhead and e-mail signatures.

**Rules**: do not stretch, recolour or add effects to the logo; leave space around it
the height of the “e”. Use **Inter** for text.

Designing something for customers or the press? Ask us below and we will design it or
check yours.""",
    },
    {
        "department": "communications",
        "slug": "if-a-journalist-contacts-you",
        "title": "If a journalist contacts you",
        "summary": "Be polite, say nothing on the record, and pass it to the press office.",
        "services": ["press-enquiry"],
        "keywords": "journalist, press, media, reporter, interview, comment",
        "review_in": 200,
        "body": """Only the press office speaks for the company.

1. Be polite. Take their name, publication, question and deadline.
2. Say: “I'll pass this to our press office, who will get back to you.”
3. Tell us below, or call the press office if the deadline is today.

That includes “off the record” chats and questions on social media.""",
    },
    # Data & Analytics ---------------------------------------------------------------
    {
        "department": "data-analytics",
        "slug": "data-warehouse-access",
        "title": "Getting access to the data warehouse",
        "summary": "Which access to ask for and how long approval takes.",
        "services": ["warehouse-access"],
        "keywords": "data warehouse, snowflake, sql access, database access, analytics access",
        "review_in": 120,
        "body": """Ask below, saying **which area** you need (sales, finance, product, people)
and why. Your manager and the data owner approve it, usually within **2 working days**.

- **Read** access covers the reporting schemas.
- Personal data (customers, colleagues) needs the data protection training first.

Most questions are answered by the existing dashboards: search the dashboard catalogue
before asking for raw access.""",
    },
    {
        "department": "data-analytics",
        "slug": "requesting-a-dashboard",
        "title": "Requesting a new dashboard",
        "summary": "What to tell us so the dashboard answers the right question.",
        "services": ["dashboard-request"],
        "keywords": "dashboard, report, kpi, chart, power bi, tableau",
        "review_in": 150,
        "body": """Tell us:
1. **The decision** it helps you make (not just the numbers you want).
2. Who will use it and how often.
3. The figures, and how each is defined, if you know.
4. An example or sketch, even on paper.

Small changes to an existing dashboard take a few days; a new one usually 2–3 weeks,
with a first draft after the first week.""",
    },
    # Customer Support ---------------------------------------------------------------
    {
        "department": "customer-support",
        "slug": "escalating-a-customer-issue",
        "title": "Escalating a customer issue",
        "summary": "When a customer problem needs Support's senior team.",
        "services": ["customer-escalation"],
        "keywords": "escalation, customer complaint, unhappy customer, urgent customer",
        "review_in": 120,
        "body": """Escalate when a customer **cannot use the product**, threatens to leave, or
a complaint has gone unanswered for over two working days.

Include the customer's name and account number, what happened, what they were told and
what they want. We reply within 4 working hours and own it until it is resolved.

Never promise refunds or dates you cannot confirm: say we will come back to them.""",
    },
]
