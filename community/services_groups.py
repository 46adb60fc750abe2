"""Groups: cohort groups the portal keeps in step with the verified records, region groups staff make (one per
province, optionally per institution), interest communities a member proposes and staff approve, joining (open or
by request), leaving, the members' page (approve requests, make admins), and a group's programs.

Rules (each refusal is a ValidationError with the words for the page, or PermissionDenied; nothing half-written):
- a group's name is unique in its comparable form (name_key): "A group with this name exists.";
- cohort groups are made and filled by `cohort_groups_sync` (on a record becoming verified, or its study program or
  entry year changing); nobody joins or leaves them by hand;
- the last admin of a group cannot leave without naming another member as admin;
- an interest group waits for the staff of its study program (or its institution's admins) to approve it; its
  creator becomes its first admin.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from alumni.models import AlumniProfile, Institution, Province, StudyProgram
from core.access import scope_for
from core.audit import audit_log
from core.notifications import ClaimItem, notification_claim, notifications_claim_many
from programs.models import Program

from . import access
from .models import NAME_MAX, TEXT_MAX, Group, GroupProgram, Membership, name_key

M = Membership
KIND_DECIDED = "community.group_decided"
KIND_JOIN_REQUESTED = "community.join_requested"
KIND_JOIN_DECIDED = "community.join_decided"
# Addresses under groups/ that are pages, not groups.
RESERVED_SLUGS = frozenset({"new", "queue"})


# --- names --------------------------------------------------------------------------------------------------------


def name_taken(name: str, *, exclude=None) -> bool:
    qs = Group.objects.filter(name_key=name_key(name))
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return qs.exists()


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name_key(name):
        raise ValidationError({"name": _("Give the group a name (letters or digits).")})
    if len(name) > NAME_MAX:
        raise ValidationError({"name": _("The name is too long (at most %(n)d characters).") % {"n": NAME_MAX}})
    if name_taken(name):
        raise ValidationError({"name": _("A group with this name exists.")})
    return name


def _unique_slug(name: str) -> str:
    base = slugify(name)[:120] or "group"
    slug, n = base, 2
    while slug in RESERVED_SLUGS or Group.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _save_new(group: Group) -> Group:
    """Insert a new group; a name taken meanwhile (a race) is the same clear message."""
    group.slug = _unique_slug(group.name)
    try:
        with transaction.atomic():
            group.save()
    except IntegrityError as exc:
        raise ValidationError({"name": _("A group with this name exists.")}) from exc
    return group


def _activate(group: Group, user, *, role: str = M.Role.MEMBER) -> Membership:
    """The person's membership made active (created, or re-activated), with `role` if it is stronger."""
    now = timezone.now()
    row, created = Membership.objects.get_or_create(
        group=group, user=user, defaults={"role": role, "status": M.Status.ACTIVE, "joined_at": now}
    )
    if not created:
        fields = []
        if row.status != M.Status.ACTIVE:
            row.status, row.joined_at = M.Status.ACTIVE, now
            fields += ["status", "joined_at"]
        if role == M.Role.ADMIN and row.role != M.Role.ADMIN:
            row.role = M.Role.ADMIN
            fields.append("role")
        if fields:
            row.save(update_fields=fields)
    access.forget_memberships(user)
    return row


# --- cohort groups ------------------------------------------------------------------------------------------------


def cohort_name(program: StudyProgram, year: int) -> str:
    return f"{program.name} · Angkatan {year}"


def cohort_group_for(program: StudyProgram, year: int) -> Group:
    """The cohort group of (study program, entry year), made when missing."""
    found = Group.objects.filter(kind=Group.Kind.COHORT, study_program=program, entry_year=year).first()
    if found is not None:
        return found
    name = cohort_name(program, year)
    if name_taken(name):  # two institutions with a program of the same name
        name = f"{name} ({program.code})"
    institution_id = StudyProgram.objects.filter(pk=program.pk).values_list("faculty__institution_id", flat=True)[0]
    group = Group(kind=Group.Kind.COHORT, name=name, study_program=program, entry_year=year,
                  institution_id=institution_id, join_policy=Group.JoinPolicy.REQUEST, status=Group.Status.ACTIVE,
                  description=_("Everyone of the %(year)s cohort of %(program)s with a verified record.")
                  % {"year": year, "program": program.name})
    try:
        return _save_new(group)
    except ValidationError:
        # Made meanwhile by another run.
        return Group.objects.get(kind=Group.Kind.COHORT, study_program=program, entry_year=year)


def cohort_groups_sync(*, user_ids=None) -> dict:
    """Keep the cohort groups in step with the verified records that have an account: everyone is an active member
    of the group of their study program and entry year (made when missing) and of no other cohort group. With
    `user_ids`, only those people (a record verified or changed); without, everyone (a nightly catch-up, or the
    demo). A person who is no longer verified leaves their cohort group (status removed). Returns counts."""
    profiles = AlumniProfile.objects.filter(user__isnull=False, verification=AlumniProfile.Verification.VERIFIED)
    memberships = Membership.objects.filter(group__kind=Group.Kind.COHORT)
    if user_ids is not None:
        user_ids = list(user_ids)
        profiles = profiles.filter(user_id__in=user_ids)
        memberships = memberships.filter(user_id__in=user_ids)
    wanted = {uid: (prog, year) for uid, prog, year in
              profiles.values_list("user_id", "study_program_id", "entry_year")}
    groups = {(g.study_program_id, g.entry_year): g for g in Group.objects.filter(
        kind=Group.Kind.COHORT, study_program_id__in={p for p, _y in wanted.values()})}
    missing = set(wanted.values()) - set(groups)
    if missing:
        programs = StudyProgram.objects.in_bulk({p for p, _y in missing})
        for prog, year in sorted(missing):
            groups[(prog, year)] = cohort_group_for(programs[prog], year)
    now = timezone.now()
    added = removed = 0
    with transaction.atomic():
        have = {(m.user_id, m.group_id): m for m in memberships.select_related(None)}
        wanted_pairs = {(uid, groups[key].pk) for uid, key in wanted.items()}
        new_rows = [Membership(group_id=gid, user_id=uid, status=M.Status.ACTIVE, joined_at=now)
                    for uid, gid in wanted_pairs if (uid, gid) not in have]
        Membership.objects.bulk_create(new_rows, ignore_conflicts=True)
        back = [m.pk for pair, m in have.items() if pair in wanted_pairs and m.status != M.Status.ACTIVE]
        if back:
            Membership.objects.filter(pk__in=back).update(status=M.Status.ACTIVE, joined_at=now)
        gone = [m.pk for pair, m in have.items() if pair not in wanted_pairs and m.status == M.Status.ACTIVE]
        if gone:
            Membership.objects.filter(pk__in=gone).update(status=M.Status.REMOVED)
        added, removed = len(new_rows) + len(back), len(gone)
    return {"groups": len(groups), "added": added, "removed": removed}


# --- region groups ------------------------------------------------------------------------------------------------


def _may_make_region(scope, institution: Institution | None) -> bool:
    if institution is None:
        return scope.is_staff or scope.is_admin
    if scope.administers(institution.pk):
        return True
    return StudyProgram.objects.filter(pk__in=scope.staff_program_ids, faculty__institution=institution).exists()


def region_group_create(*, by, province: Province, institution: Institution | None = None, name: str = "",
                        description: str = "", join_policy: str = Group.JoinPolicy.OPEN) -> Group:
    """A region group for a province (and an institution, or for everyone): staff and institution admins."""
    scope = scope_for(by)
    if not _may_make_region(scope, institution):
        raise PermissionDenied(_("Only study-program staff and institution admins make region groups."))
    existing = Group.objects.filter(kind=Group.Kind.REGION, province=province, institution=institution)
    if existing.exists():
        raise ValidationError({"province": _("This province already has its region group.")})
    name = _clean_name(name or (f"{province.name} · {institution.name}" if institution else province.name))
    group = Group(kind=Group.Kind.REGION, name=name, province=province, institution=institution,
                  description=(description or "").strip()[:TEXT_MAX], join_policy=join_policy,
                  status=Group.Status.ACTIVE, created_by=by, decided_by=by, decided_at=timezone.now())
    with transaction.atomic():
        _save_new(group)
        audit_log(actor=by, action="community.group.created", target=group, data={"kind": group.kind})
    return group


def region_groups_sync(*, institution: Institution | None = None) -> list[Group]:
    """One region group for each province where a verified member lives (for the institution, or for everyone);
    the ones missing are made. Returns the groups made."""
    provinces = Province.objects.filter(
        pk__in=AlumniProfile.objects.filter(verification=AlumniProfile.Verification.VERIFIED,
                                            province__isnull=False).values("province_id")
    ).exclude(pk__in=Group.objects.filter(kind=Group.Kind.REGION, institution=institution).values("province_id"))
    made = []
    for province in provinces.order_by("name"):
        name = f"{province.name} · {institution.name}" if institution else province.name
        if name_taken(name):
            name = f"{name} ({_('region')})"
        made.append(_save_new(Group(kind=Group.Kind.REGION, name=name, province=province, institution=institution,
                                    status=Group.Status.ACTIVE)))
    return made


# --- interest groups ----------------------------------------------------------------------------------------------


def interest_group_create(*, by, name: str, study_program: StudyProgram, description: str = "",
                          join_policy: str = Group.JoinPolicy.OPEN) -> Group:
    """A verified member proposes a community; it waits for the staff of `study_program` (or its institution's
    admins). The creator becomes its first admin (active once approved)."""
    scope = scope_for(by)
    if not scope.is_member:
        raise PermissionDenied(_("Only verified members propose a community."))
    name = _clean_name(name)
    description = (description or "").strip()
    if not description:
        raise ValidationError({"description": _("Say in a sentence or two what the community is about.")})
    if len(description) > TEXT_MAX:
        raise ValidationError({"description": _("The description is too long.")})
    institution_id = StudyProgram.objects.filter(pk=study_program.pk).values_list("faculty__institution_id",
                                                                                  flat=True)[0]
    group = Group(kind=Group.Kind.INTEREST, name=name, description=description, study_program=study_program,
                  institution_id=institution_id, join_policy=join_policy, status=Group.Status.WAITING,
                  created_by=by)
    with transaction.atomic():
        _save_new(group)
        _activate(group, by, role=M.Role.ADMIN)
        audit_log(actor=by, action="community.group.proposed", target=group, study_program=study_program,
                  data={"kind": group.kind})
    return group


def group_decide(*, group: Group, by, approve: bool, reason: str = "") -> Group:
    """Staff of the group's study program (or its institution's admins) approve or refuse a waiting community;
    the creator hears it once."""
    scope = scope_for(by)
    if not access.oversees(scope, group):
        raise PermissionDenied(_("Only the staff of the group's study program and institution admins decide."))
    reason = (reason or "").strip()
    if not approve and not reason:
        raise ValidationError({"reason": _("Say why the community is refused: its creator reads it.")})
    with transaction.atomic():
        locked = Group.objects.select_for_update().get(pk=group.pk)
        if locked.status != Group.Status.WAITING:
            raise ValidationError(_("This group was already decided."))
        locked.status = Group.Status.ACTIVE if approve else Group.Status.REFUSED
        locked.refusal_reason = "" if approve else reason[:1000]
        locked.decided_by, locked.decided_at = by, timezone.now()
        locked.save(update_fields=["status", "refusal_reason", "decided_by", "decided_at"])
        audit_log(actor=by, action="community.group.approved" if approve else "community.group.refused",
                  target=locked, study_program=locked.study_program, data={"reason": locked.refusal_reason})
        if locked.created_by_id:
            notification_claim(
                key=f"community.group_decided:{locked.pk}", kind=KIND_DECIDED, recipient=locked.created_by,
                template="community/email/groups_decided",
                context={"group": locked, "approved": approve, "reason": locked.refusal_reason},
                link=reverse("community:group_detail", args=[locked.slug]),
            )
    group.status, group.refusal_reason = locked.status, locked.refusal_reason
    return locked


# --- joining and leaving ------------------------------------------------------------------------------------------


def _admins(group: Group):
    return group.memberships.filter(status=M.Status.ACTIVE, role=M.Role.ADMIN).select_related("user")


def group_join(*, group: Group, user) -> Membership:
    """Join an open group at once, or ask to join a group by request (its admins hear it once per request)."""
    scope = scope_for(user)
    if group.kind == Group.Kind.COHORT:
        raise ValidationError(_("Cohort groups are joined by being in the cohort: the portal adds everyone with a "
                                "verified record."))
    if not access.can_join(scope, group):
        raise PermissionDenied(_("Only verified members join groups."))
    with transaction.atomic():
        row = Membership.objects.select_for_update().filter(group=group, user=user).first()
        if row is not None and row.status == M.Status.ACTIVE:
            raise ValidationError(_("You are already a member of this group."))
        if row is not None and row.status == M.Status.REQUESTED:
            raise ValidationError(_("You already asked to join; the group's admins will answer."))
        if row is not None and row.status == M.Status.REMOVED:
            raise ValidationError(_("The group's admins removed you from this group."))
        if group.join_policy == Group.JoinPolicy.OPEN:
            row = _activate(group, user)
            audit_log(actor=user, action="community.member.joined", target=group)
            return row
        if row is None:
            try:
                with transaction.atomic():
                    row = Membership.objects.create(group=group, user=user, status=M.Status.REQUESTED)
            except IntegrityError as exc:  # the same person's second click, at the same moment
                raise ValidationError(_("You already asked to join; the group's admins will answer.")) from exc
        else:
            row.status, row.created_at = M.Status.REQUESTED, timezone.now()
            row.save(update_fields=["status", "created_at"])
        access.forget_memberships(user)
        audit_log(actor=user, action="community.member.requested", target=group)
        link = reverse("community:group_members", args=[group.slug])
        notifications_claim_many([
            ClaimItem(key=f"community.join_requested:{row.pk}:{row.created_at.isoformat()}:{admin.user_id}",
                      kind=KIND_JOIN_REQUESTED, recipient=admin.user, template="community/email/groups_join_requested",
                      context={"group": group, "person": user.get_full_name() or user.email}, link=link)
            for admin in _admins(group)
        ])
    return row


def group_leave(*, group: Group, user, successor=None) -> Membership:
    """Leave a group (or withdraw a request). The last admin names another active member as admin first."""
    if group.kind == Group.Kind.COHORT:
        raise ValidationError(_("You are in your cohort's group by being in the cohort; it cannot be left."))
    with transaction.atomic():
        row = Membership.objects.select_for_update().filter(group=group, user=user).first()
        if row is None or row.status not in (M.Status.ACTIVE, M.Status.REQUESTED):
            raise ValidationError(_("You are not a member of this group."))
        if row.status == M.Status.ACTIVE and row.role == M.Role.ADMIN:
            others = _admins(group).exclude(user=user)
            if not others.exists():
                if successor is None:
                    raise ValidationError({"successor": _("You are the group's last admin: name another member as "
                                                          "admin before you leave.")})
                heir = Membership.objects.filter(group=group, user=successor, status=M.Status.ACTIVE).first()
                if heir is None or heir.user_id == user.pk:
                    raise ValidationError({"successor": _("Choose an active member of the group.")})
                heir.role = M.Role.ADMIN
                heir.save(update_fields=["role"])
                audit_log(actor=user, action="community.member.made_admin", target=group,
                          data={"member": heir.user_id})
        row.status, row.role = M.Status.LEFT, M.Role.MEMBER
        row.save(update_fields=["status", "role"])
        access.forget_memberships(user)
        audit_log(actor=user, action="community.member.left", target=group)
    return row


def _require_admin(group: Group, by) -> None:
    scope = scope_for(by)
    if not (access.is_group_admin(by, group) or access.oversees(scope, group)):
        raise PermissionDenied(_("Only the group's admins manage its members."))


def membership_decide(*, group: Group, by, membership: Membership, approve: bool) -> Membership:
    """A group admin (or staff above them) lets a person in, or refuses the request; the person hears it once."""
    _require_admin(group, by)
    with transaction.atomic():
        row = Membership.objects.select_for_update().get(pk=membership.pk, group=group)
        if row.status != M.Status.REQUESTED:
            raise ValidationError(_("This request was already answered."))
        row.status = M.Status.ACTIVE if approve else M.Status.REFUSED
        row.joined_at = timezone.now() if approve else None
        row.save(update_fields=["status", "joined_at"])
        audit_log(actor=by, action="community.member.approved" if approve else "community.member.refused",
                  target=group, data={"member": row.user_id})
        notification_claim(
            key=f"community.join_decided:{row.pk}:{row.created_at.isoformat()}", kind=KIND_JOIN_DECIDED,
            recipient=row.user, template="community/email/groups_join_decided",
            context={"group": group, "approved": approve},
            link=reverse("community:group_detail", args=[group.slug]),
        )
    access.forget_memberships(row.user)
    return row


def member_make_admin(*, group: Group, by, membership: Membership) -> Membership:
    _require_admin(group, by)
    with transaction.atomic():
        row = Membership.objects.select_for_update().get(pk=membership.pk, group=group)
        if row.status != M.Status.ACTIVE:
            raise ValidationError(_("Only an active member can be made admin."))
        if row.role == M.Role.ADMIN:
            raise ValidationError(_("This member is already an admin."))
        row.role = M.Role.ADMIN
        row.save(update_fields=["role"])
        audit_log(actor=by, action="community.member.made_admin", target=group, data={"member": row.user_id})
    access.forget_memberships(row.user)
    return row


def group_update(*, group: Group, by, description: str, join_policy: str | None = None) -> Group:
    """The group's admins (and the staff above them) change its description and, but for cohort groups (which
    nobody joins by hand), how people join. Audited with the old and new values."""
    scope = scope_for(by)
    if not (access.is_group_admin(by, group) or access.oversees(scope, group)):
        raise PermissionDenied(_("Only the group's admins change it."))
    description = (description or "").strip()
    if len(description) > TEXT_MAX:
        raise ValidationError({"description": _("At most %(n)d characters.") % {"n": TEXT_MAX}})
    if group.kind == Group.Kind.INTEREST and not description:
        raise ValidationError({"description": _("Say what the community is about.")})
    changes = {}
    if description != group.description:
        changes["description"] = description
    if join_policy and group.kind != Group.Kind.COHORT and join_policy != group.join_policy:
        if join_policy not in Group.JoinPolicy.values:
            raise ValidationError({"join_policy": _("Choose how people join.")})
        changes["join_policy"] = join_policy
    if changes:
        with transaction.atomic():
            Group.objects.filter(pk=group.pk).update(**changes)
            audit_log(actor=by, action="community.group.updated", target=group, study_program=group.study_program,
                      data={name: [getattr(group, name), value] for name, value in changes.items()})
        for name, value in changes.items():
            setattr(group, name, value)
    return group


def member_add(*, group: Group, user, role: str = M.Role.MEMBER, joined_at=None) -> Membership:
    """Put a person in a group directly (the demo seeder; a group's first members). `joined_at` in the past makes
    them a long-standing member (the new members' rate limit does not apply)."""
    with transaction.atomic():
        row = _activate(group, user, role=role)
        if joined_at is not None:
            Membership.objects.filter(pk=row.pk).update(joined_at=joined_at)
            row.joined_at = joined_at
        return row


# --- a group's programs -------------------------------------------------------------------------------------------


def linkable_programs(*, group: Group, by):
    """Programs the person may link to the group: a group admin those they lead or proposed; staff every program
    of the study programs they run. Programs already linked to a group are left out."""
    scope = scope_for(by)
    qs = Program.objects.filter(community_group__isnull=True).exclude(
        status__in=[Program.Status.REJECTED, Program.Status.CANCELLED]
    )
    allowed = Q(study_program_id__in=scope.staff_program_ids)
    if access.is_group_admin(by, group):
        allowed |= Q(pic_id=by.pk) | Q(proposed_by_id=by.pk)
    if scope.is_superuser:
        return qs.order_by("title")
    return qs.filter(allowed).order_by("title")


def may_link_programs(scope, user, group: Group) -> bool:
    if group.status != Group.Status.ACTIVE:
        return False
    return access.is_group_admin(user, group) or access.oversees(scope, group) or (
        bool(scope.staff_program_ids) and access.can_see_group(scope, group)
    )


def group_program_link(*, group: Group, program: Program, by) -> GroupProgram:
    """The group organises the program: its sessions show on the group's page."""
    if group.status != Group.Status.ACTIVE:
        raise ValidationError(_("Only an active group organises programs."))
    if not linkable_programs(group=group, by=by).filter(pk=program.pk).exists():
        if GroupProgram.objects.filter(program=program).exists():
            raise ValidationError({"program": _("This program already belongs to a group.")})
        raise PermissionDenied(_("You may link only programs you lead or proposed (or your study program's, as "
                                 "staff)."))
    try:
        with transaction.atomic():
            link = GroupProgram.objects.create(group=group, program=program)
            audit_log(actor=by, action="community.program.linked", target=group, study_program=program.study_program,
                      data={"program": str(program.pk)})
    except IntegrityError as exc:
        raise ValidationError({"program": _("This program already belongs to a group.")}) from exc
    return link


def group_program_unlink(*, link: GroupProgram, by) -> None:
    scope = scope_for(by)
    group = link.group
    program = link.program
    allowed = scope.manages_program(program.study_program_id) or access.oversees(scope, group) or (
        access.is_group_admin(by, group) and by.pk in (program.pic_id, program.proposed_by_id)
    )
    if not allowed:
        raise PermissionDenied(_("Only the program's lead, the group's admins who run it, or staff unlink it."))
    with transaction.atomic():
        link.delete()
        audit_log(actor=by, action="community.program.unlinked", target=group, study_program=program.study_program,
                  data={"program": str(program.pk)})
