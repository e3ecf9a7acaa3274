from django.contrib import admin

from alliance.families.models import Child, Family


class ChildInline(admin.TabularInline):
    model = Child
    extra = 0


@admin.register(Family)
class FamilyAdmin(admin.ModelAdmin):
    list_display = ("name", "guardian_name", "alliance", "town", "language")
    list_filter = ("alliance", "language")
    search_fields = ("name", "guardian_name", "email")
    inlines = [ChildInline]
